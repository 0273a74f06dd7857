package dev.reclaimlab.host;

import dev.reclaimlab.step.Journal;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.testing.LibShRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host side of a run's life: the watchdog that undoes a run whose orchestrator stopped sending heartbeats, the
 * owner record that tells a live run from a dead one, and the busy host. The scripts are the ones a run sends (the
 * first step, heartbeats, lab cleanup), run under dash and busybox sh in a temporary work directory base.
 */
class WatchdogTest {
    @TempDir
    Path dir;

    /** An undo entry that leaves a trace when it runs, and a folder the run made that must go. */
    private static void someWork(LibShRunner run, Path runDir, Path undone) throws Exception {
        run.step(Step.undoable("iteration", "i", "lab_mkdir '" + runDir.resolve("x-1/r1") + "'",
                "lab_rmtree '" + runDir.resolve("x-1/r1") + "'; echo undone >> '" + undone + "'")).ok();
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void withoutHeartbeatsTheWatchdogUndoesTheRunByItself(LibShRunner.Kind kind) throws Exception {
        Path base = dir.resolve("base");
        Path runDir = base.resolve("20260101-000000-dead");
        Path undone = dir.resolve("undone.log");
        LibShRunner run = LibShRunner.forRun(kind, dir.resolve("orchestrator"), runDir);
        run.begin(base, Duration.ofSeconds(2), false).ok();
        someWork(run, runDir, undone);

        assertTrue(waitUntil(Duration.ofSeconds(15), () -> !Files.exists(base)), "the run was never undone");
        assertEquals("undone\n", Files.readString(undone), "the journal was replayed, once");
        assertFalse(watchdogRuns(runDir), "the watchdog ends with the run");
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void heartbeatsKeepTheRunAliveAndCleanupLeavesALiveRunAlone(LibShRunner.Kind kind) throws Exception {
        Path base = dir.resolve("base");
        Path runDir = base.resolve("20260101-000000-live");
        LibShRunner run = LibShRunner.forRun(kind, dir.resolve("orchestrator"), runDir);
        run.begin(base, Duration.ofSeconds(3), false).ok();
        Journal journal = Journal.of(runDir.toString());
        Instant until = Instant.now().plusSeconds(6);
        while (Instant.now().isBefore(until)) { // twice the watchdog's time, beating every second
            run.run("lab_beat").ok();
            Thread.sleep(1000);
        }
        assertTrue(Files.isDirectory(runDir), "a run with heartbeats is not undone");

        LibShRunner.Result cleanup = run.cleanup(false);
        assertEquals(Journal.LIVE, cleanup.exit(), cleanup.err());
        assertTrue(cleanup.out().contains("orchestrator=test pid=" + ProcessHandle.current().pid()), cleanup.out());
        assertTrue(Files.isDirectory(runDir), "lab cleanup leaves a live run alone");

        run.cleanup(true).ok();
        assertFalse(Files.exists(base), "--force undoes it: " + journal.dir());
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void aHostBusyWithALiveRunRefusesAnotherUnlessThePlanMayShare(LibShRunner.Kind kind) throws Exception {
        Path base = dir.resolve("base");
        LibShRunner first = LibShRunner.forRun(kind, dir.resolve("one"), base.resolve("20260101-000000-one"));
        LibShRunner second = LibShRunner.forRun(kind, dir.resolve("two"), base.resolve("20260101-000000-two"));
        LibShRunner third = LibShRunner.forRun(kind, dir.resolve("three"), base.resolve("20260101-000000-three"));
        first.begin(base, Duration.ofMinutes(1), false).ok();

        LibShRunner.Result refused = second.begin(base, Duration.ofMinutes(1), false);
        third.begin(base, Duration.ofMinutes(1), true).ok();

        assertEquals(1, refused.exit());
        assertTrue(refused.err().contains("the host is busy: run " + base.resolve("20260101-000000-one") + " is live"),
                refused.err());
        assertFalse(Files.exists(base.resolve("20260101-000000-two")), "the refused run made nothing");
        first.teardown().ok();
        third.teardown().ok();
        assertFalse(Files.exists(base));
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void theJournalStaysWithTheRunsFolderOnDisk(LibShRunner.Kind kind) throws Exception {
        Path base = dir.resolve("base");
        Path runDir = base.resolve("20260101-000000-disk");
        LibShRunner run = LibShRunner.forRun(kind, dir.resolve("orchestrator"), runDir);
        run.begin(base, Duration.ofMinutes(1), false).ok();

        String owner = Files.readString(runDir.resolve("journal/owner"));
        assertTrue(owner.startsWith("orchestrator=test pid="), owner);
        assertTrue(owner.contains("boot_id=" + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip()));
        assertTrue(owner.contains("ttl=60"), owner);
        assertTrue(Files.exists(runDir.resolve("journal/heartbeat")));
        assertTrue(watchdogRuns(runDir));
        run.teardown().ok();
        assertFalse(watchdogRuns(runDir), "the end of a run stops its watchdog");
    }

    private static boolean watchdogRuns(Path runDir) throws Exception {
        Path pidfile = runDir.resolve("journal/watchdog.pid");
        if (Files.exists(pidfile)) {
            long pid = Long.parseLong(Files.readString(pidfile).strip().split(" ")[0]);
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    return cmdline.contains("lab_watchdog") && cmdline.contains(runDir.toString());
                } catch (java.io.IOException gone) {
                    return false;
                }
            });
        }
    }

    private static boolean waitUntil(Duration limit, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }
}
