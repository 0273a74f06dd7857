package dev.reclaimlab.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.analysis.ReclaimAnalyzer;
import dev.reclaimlab.analysis.SyntheticCapture;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.CapturedStreams;
import dev.reclaimlab.trace.RawCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lab analyze as a user meets it: outputs, exit codes, one-line errors. */
class AnalyzeCommandTest {
    private static final Path STORM = Path.of("src/test/resources/traces/local-6.18-memcg-storm/trace.txt");
    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();

    @Test
    void jsonIsWhatLabRunStores() throws Exception {
        int exit = LabCommand.execute("analyze", STORM.toString(), "--json");

        assertEquals(ExitCodes.OK, exit, streams.stderr());
        assertEquals(Json.mapper().writeValueAsString(new ReclaimAnalyzer().analyze(STORM)) + "\n", streams.stdout(),
                "the text metrics.json holds");
        JsonNode printed = Json.mapper().readTree(streams.stdout());
        assertEquals(223, printed.get("memcg_reclaim").get("count").asLong());
        assertEquals(306, printed.get("lru_shrink_inactive").get("file_events").asLong());
    }

    @Test
    void anIterationWithABinaryCaptureIsAnalysedFromItsPages(@TempDir Path iteration) throws Exception {
        SyntheticCapture.write(iteration, 3, 2000, java.nio.ByteOrder.LITTLE_ENDIAN);
        Files.delete(iteration.resolve("trace.txt")); // the pages alone

        int exit = LabCommand.execute("analyze", iteration.toString(), "--json");

        assertEquals(ExitCodes.OK, exit, streams.stderr());
        assertEquals(Json.mapper().writeValueAsString(new ReclaimAnalyzer().analyze(RawCapture.fromIteration(iteration)))
                + "\n", streams.stdout());
        JsonNode printed = Json.mapper().readTree(streams.stdout());
        assertEquals(2000, printed.get("capture").get("records").asLong());
        assertTrue(printed.get("lost").get("records").asLong() > 0);
    }

    @Test
    void theSummaryOfABinaryCaptureSaysWhatWasLost(@TempDir Path iteration) throws Exception {
        SyntheticCapture.write(iteration, 3, 2000, java.nio.ByteOrder.LITTLE_ENDIAN);

        int exit = LabCommand.execute("analyze", iteration.toString());

        assertEquals(ExitCodes.OK, exit, streams.stderr());
        assertTrue(streams.stdout().contains("LOST EVENTS: "), streams.stdout());
        assertTrue(streams.stdout().contains("binary capture: 4 CPUs"), streams.stdout());
        assertTrue(streams.stdout().contains("can be wrong: events, event_counts"), streams.stdout());
    }

    @Test
    void summaryByDefaultAndTheIterationDirectoryWillDo() {
        int exit = LabCommand.execute("analyze", STORM.getParent().toString(), "--threads", "1");

        assertEquals(ExitCodes.OK, exit, streams.stderr());
        assertTrue(streams.stdout().contains("memcg reclaim             223 pairs, 6 unpaired"), streams.stdout());
        assertTrue(streams.stdout().contains("fields from format files of 4 events"), "formats/ beside the trace: " + streams.stdout());
    }

    @Test
    void perCpuSeconds() {
        int exit = LabCommand.execute("analyze", STORM.toString(), "--per-cpu-seconds");

        assertEquals(ExitCodes.OK, exit, streams.stderr());
        assertTrue(streams.stdout().contains("   0         1803       128    256.02      0  >=32:128"), streams.stdout());
    }

    @Test
    void formatsFromElsewhere(@TempDir Path dir) throws Exception {
        Path trace = Files.copy(STORM, dir.resolve("trace.txt"));

        assertEquals(ExitCodes.OK, LabCommand.execute("analyze", trace.toString()));
        assertTrue(streams.stdout().contains("fields: built-in layout"), streams.stdout());
        streams.reset();
        assertEquals(ExitCodes.OK, LabCommand.execute("analyze", trace.toString(), "--formats",
                STORM.resolveSibling("formats").toString()));
        assertTrue(streams.stdout().contains("fields from format files of 4 events"), streams.stdout());
    }

    @Test
    void aMissingTraceIsOneLineAndExitTwo(@TempDir Path dir) {
        int exit = LabCommand.execute("analyze", dir.resolve("nope.txt").toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertEquals("lab: no trace file at " + dir.resolve("nope.txt") + "\n", streams.stderr());
        assertEquals("", streams.stdout());
    }

    @Test
    void aDirectoryWithoutTraceIsExitTwo(@TempDir Path dir) {
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze", dir.toString()));
        assertEquals(1, streams.stderr().lines().count(), streams.stderr());
    }

    @Test
    void badOptionsAreExitTwo(@TempDir Path dir) {
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze", STORM.toString(), "--json", "--per-cpu-seconds"));
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze", STORM.toString(), "--formats",
                dir.resolve("absent").toString()));
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze", STORM.toString(), "--threads", "0"));
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze"));
        assertFalse(streams.stderr().contains("Exception"), streams.stderr());
    }

    /** A task may name itself anything (prctl PR_SET_NAME): its name reaches the terminal inert. */
    @Test
    void controlCharactersInTaskNamesArePrintedVisibly(@TempDir Path dir) throws Exception {
        String hostile = "d\u001b]0;owned\u0007d";
        Path trace = Files.writeString(dir.resolve("trace.txt"),
                Files.readString(STORM).replace("              dd-6424 ", hostile + "-6424 "));

        assertEquals(ExitCodes.OK, LabCommand.execute("analyze", trace.toString()), streams.stderr());

        assertTrue(streams.stdout().contains("d\\x1b]0;owned\\x07d"), streams.stdout());
        assertFalse(streams.stdout().contains("\u001b") || streams.stdout().contains("\u0007"), "no raw control byte");
    }
}
