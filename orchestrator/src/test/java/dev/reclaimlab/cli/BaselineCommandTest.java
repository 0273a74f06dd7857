package dev.reclaimlab.cli;

import dev.reclaimlab.testing.CapturedStreams;
import dev.reclaimlab.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lab baseline on a real SQLite database holding the checked-in run. */
class BaselineCommandTest {
    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();
    @TempDir
    Path dir;

    @Test
    void aRunIsAcceptedIntoItsPlansBaselineAndShown() {
        String db = "jdbc:sqlite:" + dir.resolve("results.db");
        Path run = Fixtures.swappinessRun();
        String plan = run.resolve("plan.yaml").toString();
        assertEquals(0, LabCommand.execute("history", "import", run.toString(), "--db", db), streams.stderr());
        assertEquals(0, LabCommand.execute("baseline", "show", plan, "--host", "local", "--db", db), streams.stderr());
        assertTrue(streams.stdout().contains("swappiness=100: no accepted run yet"), streams.stdout());

        streams.reset();
        assertEquals(0, LabCommand.execute("baseline", "accept", "20261201-202611-c417", "--db", db), streams.stderr());
        assertTrue(streams.stdout().contains("20261201-202611-c417 (swappiness): accepted"), streams.stdout());
        assertEquals(0, LabCommand.execute("baseline", "show", plan, "--host", "local", "--db", db));
        assertTrue(streams.stdout().contains("swappiness=0: 5 repeats of 1 accepted run (still building)"),
                streams.stdout());
        assertTrue(streams.stdout().contains("  20261201-202611-c417  2026-12-01T20:26:11.825Z  6.18.44-fc-v657"),
                streams.stdout());

        streams.reset();
        assertEquals(0, LabCommand.execute("baseline", "reject", "20261201-202611-c417", "--db", db));
        assertEquals(0, LabCommand.execute("baseline", "show", plan, "--host", "local", "--db", db));
        assertTrue(streams.stdout().contains("swappiness=100: no accepted run yet"), streams.stdout());

        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("baseline", "accept", "no-such-run", "--db", db));
        assertTrue(streams.stderr().contains("run no-such-run is not in"), streams.stderr());
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("baseline", "--db", db));
    }
}
