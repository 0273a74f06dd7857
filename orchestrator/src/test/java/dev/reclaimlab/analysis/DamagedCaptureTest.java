package dev.reclaimlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.trace.RawCapture;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A capture damaged anywhere (bytes flipped in page headers, event headers and payloads, a file cut short) is analysed
 * to the end: the damage is counted, never thrown, and what is intact is still tallied.
 */
class DamagedCaptureTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void damageIsCountedAndTheRestAnalysed(long seed) throws Exception {
        SyntheticCapture.write(dir, seed, 3000, seed % 2 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(seed);
        for (int cpu = 0; cpu < 4; cpu++) {
            Path file = dir.resolve("raw/cpu" + cpu);
            byte[] pages = Files.readAllBytes(file);
            for (int k = 0; k < 60; k++) {
                pages[random.nextInt(pages.length)] = (byte) random.nextInt(256);
            }
            int keep = cpu == 3 ? pages.length - 1 - random.nextInt(4000) : pages.length;
            Files.write(file, java.util.Arrays.copyOf(pages, Math.max(0, keep)));
        }
        TraceMetrics m = new ReclaimAnalyzer().analyze(RawCapture.fromIteration(dir));

        TraceMetrics.Capture c = m.capture();
        assertEquals(1, c.truncatedPages(), "CPU 3's last page was cut");
        assertTrue(c.badCommitPages() + c.badEvents() + c.unknownEventIds() + m.skippedLines() > 0,
                "damage is counted: " + c + ", skipped " + m.skippedLines());
        assertTrue(m.events() > 1000, "the intact records are analysed: " + m.events());
    }
}
