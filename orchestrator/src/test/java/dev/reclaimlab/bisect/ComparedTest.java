package dev.reclaimlab.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ComparedTest {
    @Test
    void theSmallestReachablePIsTwoOverTheWaysToSplitTheSamples() {
        assertEquals(0.1, Compared.floor(3, 3), 1e-9);
        assertEquals(2.0 / 70, Compared.floor(4, 4), 1e-9);
        assertEquals(2.0 / 252, Compared.floor(5, 5), 1e-9);
        // and the tests reach it on complete separation
        Compared c = Compared.of(new double[] {10, 11, 12, 13}, new double[] {20, 21, 22, 23});
        assertEquals(Compared.floor(4, 4), c.p(), 1e-6);
        assertEquals(100.0 * (21.5 - 11.5) / 11.5, c.percent(), 1e-9); // of the medians
    }

    @Test
    void samplesWithoutSpreadDifferOnlyWhenTheirValuesDo() {
        assertEquals(0, Compared.of(new double[] {0, 0, 0}, new double[] {5, 5, 5}).p());
        assertEquals(1, Compared.of(new double[] {5, 5, 5}, new double[] {5, 5, 5}).p());
        assertTrue(Double.isNaN(Compared.of(new double[] {0, 0}, new double[] {5, 5}).percent()), "from 0");
    }
}
