package dev.reclaimlab.analysis;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-counted values over excerpts of real traces (seed 000 §4.1 and §7.2, 4.18 and 6.6 kernels). */
class EventCountAnalyzerTest {

    @Test
    void countsEventsAcrossKernelFormatsAndCountsWhatItCannotRead() throws Exception {
        Path trace = Path.of("src/test/resources/traces/seed-4.18-372-excerpt.txt");

        TraceMetrics metrics = new EventCountAnalyzer().analyze(trace);

        assertEquals(2, metrics.memcgReclaimBegin(), "4.18-372 and 4.18-147 begin lines (with and without classzone_idx)");
        assertEquals(1, metrics.memcgReclaimEnd());
        assertEquals(1, metrics.anonShrinkInactive(), "the 6.6 line with the five-column irq flags");
        assertEquals(2, metrics.fileShrinkInactive());
        assertEquals(1, metrics.eventCounts().get("mm_shrink_slab_start"), "a task name with dashes and a slash");
        assertEquals(17, metrics.lostEvents());
        assertEquals(7, metrics.events());
        assertEquals(2, metrics.skippedLines(), "the garbage line and the cut last line");
        assertEquals(426414.625682, metrics.firstTimestamp(), 1e-9, "timestamps in file order");
        assertEquals(12.000001, metrics.lastTimestamp(), 1e-9);
    }
}
