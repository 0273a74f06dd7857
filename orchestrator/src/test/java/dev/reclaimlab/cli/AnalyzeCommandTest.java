package dev.reclaimlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.analysis.ReclaimAnalyzer;
import dev.reclaimlab.run.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab analyze as a user meets it: outputs, exit codes, one-line errors. */
class AnalyzeCommandTest {
    private static final Path STORM = Path.of("src/test/resources/traces/local-6.18-memcg-storm/trace.txt");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsWhatLabRunStores() throws Exception {
        int exit = LabCommand.execute("analyze", STORM.toString(), "--json");

        assertEquals(ExitCodes.OK, exit, stderr());
        assertEquals(Json.mapper().writeValueAsString(new ReclaimAnalyzer().analyze(STORM)) + "\n", stdout(),
                "the text metrics.json holds");
        JsonNode printed = Json.mapper().readTree(stdout());
        assertEquals(223, printed.get("memcg_reclaim").get("count").asLong());
        assertEquals(306, printed.get("lru_shrink_inactive").get("file_events").asLong());
    }

    @Test
    void summaryByDefaultAndTheIterationDirectoryWillDo() {
        int exit = LabCommand.execute("analyze", STORM.getParent().toString(), "--threads", "1");

        assertEquals(ExitCodes.OK, exit, stderr());
        assertTrue(stdout().contains("memcg reclaim             223 pairs, 6 unpaired"), stdout());
        assertTrue(stdout().contains("fields from format files of 4 events"), "formats/ beside the trace: " + stdout());
    }

    @Test
    void perCpuSeconds() {
        int exit = LabCommand.execute("analyze", STORM.toString(), "--per-cpu-seconds");

        assertEquals(ExitCodes.OK, exit, stderr());
        assertTrue(stdout().contains("   0         1803       128    256.02      0  >=32:128"), stdout());
    }

    @Test
    void formatsFromElsewhere(@TempDir Path dir) throws Exception {
        Path trace = Files.copy(STORM, dir.resolve("trace.txt"));

        assertEquals(ExitCodes.OK, LabCommand.execute("analyze", trace.toString()));
        assertTrue(stdout().contains("fields: built-in layout"), stdout());
        out.reset();
        assertEquals(ExitCodes.OK, LabCommand.execute("analyze", trace.toString(), "--formats",
                STORM.resolveSibling("formats").toString()));
        assertTrue(stdout().contains("fields from format files of 4 events"), stdout());
    }

    @Test
    void aMissingTraceIsOneLineAndExitTwo(@TempDir Path dir) {
        int exit = LabCommand.execute("analyze", dir.resolve("nope.txt").toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertEquals("lab: no trace file at " + dir.resolve("nope.txt") + "\n", stderr());
        assertEquals("", stdout());
    }

    @Test
    void aDirectoryWithoutTraceIsExitTwo(@TempDir Path dir) {
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze", dir.toString()));
        assertEquals(1, stderr().lines().count(), stderr());
    }

    @Test
    void badOptionsAreExitTwo(@TempDir Path dir) {
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze", STORM.toString(), "--json", "--per-cpu-seconds"));
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze", STORM.toString(), "--formats",
                dir.resolve("absent").toString()));
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze", STORM.toString(), "--threads", "0"));
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("analyze"));
        assertFalse(stderr().contains("Exception"), stderr());
    }
}
