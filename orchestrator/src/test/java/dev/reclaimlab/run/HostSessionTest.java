package dev.reclaimlab.run;

import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.artifacts.StepLog;
import dev.reclaimlab.artifacts.StepRecord;
import dev.reclaimlab.step.Journal;
import dev.reclaimlab.step.Owner;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.testing.RecordingTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a host session sends to a host, recorded by a fake transport: the journal protocol, in milliseconds. */
class HostSessionTest {
    private static final Journal JOURNAL = Journal.of("/var/tmp/lab/20260101-000000-test");
    private static final String PREAMBLE = "LAB_J=/var/tmp/lab/20260101-000000-test/journal; [ -f \"$LAB_J/lib.sh\" ]"
            + " || { echo \"lab: the run's journal $LAB_J is gone: the host's watchdog or lab cleanup undid the run\" >&2;"
            + " exit 1; }; . \"$LAB_J/lib.sh\"";

    @TempDir
    Path dir;
    private RecordingTransport host;
    private RecordingTransport heartbeatLink;
    private StepLog log;
    private HostSession session;

    @BeforeEach
    void session() throws Exception {
        host = new RecordingTransport("fake");
        heartbeatLink = new RecordingTransport("fake");
        log = new StepLog(dir);
        session = new HostSession(host, () -> heartbeatLink, JOURNAL, Duration.ofMinutes(2), log, Progress.SILENT);
    }

    @Test
    void aStepsUndoIsJournaledBeforeItsCommandInTheSameScript() throws Exception {
        session.run(Step.undoable("cgroup:test", "make cgroup test", "lab_mkcg /cg/test", "lab_rmcg /cg/test"), "r1");
        session.run(Step.action("drop-caches", "drop", "lab_drop_caches"), "r1");

        assertEquals(List.of(
                PREAMBLE + "\nLAB_ENTRY=00001-cgroup_test; lab_journal \"$LAB_ENTRY\" 'lab_rmcg /cg/test'\n"
                        + "lab_mkcg /cg/test",
                PREAMBLE + "\nlab_drop_caches"), host.commands());
        assertEquals(1, session.journalMark());
    }

    @Test
    void theRunsFirstStepRunsBareBecauseItBringsTheLibraryAndThenHeartbeatsGoOnAConnectionOfTheirOwn()
            throws Exception {
        session.run(JOURNAL.begin("# lib", "/var/tmp/lab", "/var/tmp/lab/20260101-000000-test", Duration.ofSeconds(8),
                false, new Owner("o", 1, "2026-01-01T00:00:00Z")), "run");
        Thread.sleep(300);

        List<String> commands = host.commands();
        assertEquals("lab_lib=$(cat) && eval \"$lab_lib\" && lab_begin \"$lab_lib\" /var/tmp/lab"
                + " /var/tmp/lab/20260101-000000-test 8 exclusive 'orchestrator=o pid=1 started=2026-01-01T00:00:00Z'",
                commands.get(0));
        assertEquals(1, commands.size(), "no heartbeat on the steps' connection: " + commands);
        List<String> beats = heartbeatLink.commands();
        assertTrue(!beats.isEmpty() && beats.get(0).endsWith("lab_beat"), "a heartbeat at once: " + beats);
        session.stopHeartbeat();
        for (int i = 0; i < 50 && !heartbeatLink.closed(); i++) {
            Thread.sleep(20);
        }
        assertTrue(heartbeatLink.closed(), "the heartbeat's connection closes when the heartbeat stops");
        assertFalse(host.closed(), "the steps' connection is the caller's to close");
        assertEquals(Duration.ofSeconds(10), session.heartbeatInterval(), "at most 10s apart");
        assertEquals(Duration.ofSeconds(2), new HostSession(host, () -> heartbeatLink, JOURNAL, Duration.ofSeconds(8),
                log, Progress.SILENT).heartbeatInterval(), "four heartbeats per watchdog time");
    }

    @Test
    void anIterationTearsDownOnlyWhatItMadeAndTheEndTearsDownEverythingOnce() throws Exception {
        session.run(Step.undoable("workdir", "w", "lab_mkworkdir /w", "lab_rmworkdir /w /"), "run");
        int runWide = session.journalMark();
        session.run(Step.undoable("cgroup:test", "c", "lab_mkcg /cg", "lab_rmcg /cg"), "r1");

        assertEquals(List.of(), session.teardownAfter(runWide, "r1"));
        assertEquals(List.of(), session.teardownAll());
        assertEquals(List.of(), session.teardownAll(), "Ctrl-C after the normal end undoes nothing twice");

        List<String> commands = host.commands();
        assertEquals(4, commands.size(), commands.toString());
        assertTrue(commands.get(2).endsWith("\nlab_teardown 00001"), commands.get(2));
        assertTrue(commands.get(2).contains("[ -f \"$LAB_J/lib.sh\" ] || exit 0"), "no journal, nothing to undo");
        assertTrue(commands.get(3).endsWith("\nlab_teardown && lab_finish"), commands.get(3));
    }

    @Test
    void aFailedStepSaysWhichAndWhyAndIsLogged() throws Exception {
        host.answer("lab_mkcg", 1, "", "mkdir: cannot create directory\nlab: cannot make cgroup /cg\n");

        StepFailedException e = assertThrows(StepFailedException.class, () -> session.run(
                Step.undoable("cgroup:test", "make cgroup test", "lab_mkcg /cg", "lab_rmcg /cg"), "r1"));

        assertEquals("step cgroup:test (make cgroup test) failed on host fake: exit 1: lab: cannot make cgroup /cg",
                e.getMessage());
        log.close();
        List<StepRecord> logged = RunDirectory.create(dir).steps(10);
        assertEquals(1, logged.size());
        assertEquals("00001-cgroup_test", logged.get(0).journal(), "the undo was journaled before the failure");
        assertEquals(1, logged.get(0).exitCode());
        assertTrue(dir.resolve(RunLayout.STEPS).toFile().isFile());
    }

    @Test
    void whatTeardownCouldNotUndoComesBackLineByLine() throws Exception {
        host.answer("lab_teardown", 1, "undone 00002-x\n",
                "lab: undo failed: 00001-swap (kept for lab cleanup)\nlab: journal /run/lab/x still has entries\n");

        assertEquals(List.of("lab: undo failed: 00001-swap (kept for lab cleanup)",
                "lab: journal /run/lab/x still has entries"), session.teardownAll());
        assertEquals(2, session.teardownAll().size(), "an incomplete teardown may be tried again");
    }
}
