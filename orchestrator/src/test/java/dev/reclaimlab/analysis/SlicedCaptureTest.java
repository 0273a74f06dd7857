package dev.reclaimlab.analysis;

import dev.reclaimlab.local.Json;
import dev.reclaimlab.trace.CaptureSlices;
import dev.reclaimlab.trace.HeaderPage;
import dev.reclaimlab.trace.RawCapture;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A binary capture cut into time slices tallied side by side gives exactly the metrics of one pass, damage figures
 * included: tasks that migrate between CPUs across a cut, pages that straddle one, lost events (slices tallied again in
 * place), time extends and absolute stamps. A capture whose time runs backwards is read in one pass.
 */
class SlicedCaptureTest {
    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void slicesGiveWhatOnePassGives(long seed) throws Exception {
        ByteOrder order = seed % 2 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean losses = seed > 4;
        SyntheticCapture.write(dir, seed, 20_000, order, losses);
        RawCapture capture = RawCapture.fromIteration(dir);
        int slices = CaptureSlices.split(capture, HeaderPage.parse(capture.headerPage()).orElseThrow(), 40).size();
        assertTrue(slices > 20, slices + " slices");

        String onePass = json(analyzer(1).analyze(capture));
        assertEquals(onePass, json(analyzer(3).analyze(capture)));
        assertEquals(onePass, json(analyzer(2).analyze(capture)));
        assertTrue(onePass.contains("\"records\" : 20000") || onePass.contains("\"records\":20000"), onePass);
    }

    @Test
    void aCaptureWhoseTimeRunsBackwardsIsReadInOnePass() throws Exception {
        SyntheticCapture.write(dir, 11, 20_000, ByteOrder.LITTLE_ENDIAN, false);
        Path cpu;
        try (Stream<Path> files = Files.list(dir.resolve("raw"))) {
            cpu = files.filter(f -> f.getFileName().toString().matches("cpu\\d+"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length())).orElseThrow();
        }
        byte[] pages = Files.readAllBytes(cpu);
        int n = pages.length / PAGE;
        assertTrue(n >= 8, n + " pages");
        // the second page moved to the back: its time is now far earlier than the pages before it
        byte[] moved = Arrays.copyOfRange(pages, PAGE, 2 * PAGE);
        System.arraycopy(pages, 2 * PAGE, pages, PAGE, (n - 2) * PAGE);
        System.arraycopy(moved, 0, pages, (n - 1) * PAGE, PAGE);
        Files.write(cpu, pages);
        RawCapture capture = RawCapture.fromIteration(dir);

        assertEquals(json(analyzer(1).analyze(capture)), json(analyzer(3).analyze(capture)));
    }

    private static ReclaimAnalyzer analyzer(int threads) {
        // tiny chunks: dozens of slices even for a small capture
        return new ReclaimAnalyzer(ReclaimAnalyzer.Options.defaults().withThreads(threads).withChunkBytes(3 * PAGE));
    }

    private static String json(TraceMetrics m) throws Exception {
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(m);
    }
}
