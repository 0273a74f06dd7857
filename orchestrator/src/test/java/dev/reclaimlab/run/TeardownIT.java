package dev.reclaimlab.run;

import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.testing.CapturedStreams;
import dev.reclaimlab.testing.HostResidue;
import dev.reclaimlab.testing.LabProcess;
import dev.reclaimlab.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Nothing is left behind on a host: not after a failed step, not after Ctrl-C, and after a killed orchestrator
 * {@code lab cleanup} finishes the job. Checked against this machine's real state.
 */
class TeardownIT {
    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();

    @BeforeAll
    static void realHost() {
        Prerequisites.requireRootWithMemoryCgroups();
    }

    static Path plan(String name) {
        return Prerequisites.repoRoot().resolve("orchestrator/src/test/resources/it-plans/" + name + ".yaml");
    }

    @Test
    void aFailingSetupStepStillUndoesEverythingBeforeIt(@TempDir Path runs) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();

        int exit = LabCommand.execute("run", plan("failing-setup").toString(), "--runs", runs.toString());

        RunResults run = RunResults.single(runs);
        assertEquals(1, exit);
        assertEquals("failed", run.manifest().get("status").asText());
        String error = run.iterations().get(0).get("error").asText();
        assertTrue(error.contains("cannot write '300' to /proc/sys/vm/swappiness"), error);
        assertEquals("failed", run.iterations().get(0).get("status").asText());
        String steps = Files.readString(run.file("steps.jsonl"));
        assertTrue(steps.matches("(?s).*\"journal\":\"\\d{5}-swap\".*"), "the swap file was made (and journaled) first");
        assertTrue(steps.contains("sysctl:vm.vfs_cache_pressure"), "the first sysctl was set before the failure");
        assertFalse(steps.contains("this must not run"), "no workload after a failed setup");
        assertEquals(List.of(), HostResidue.leftSince(before));
    }

    /**
     * A plan naming the host's own active swap file: lab refuses to make it, and the undo (journaled before the step)
     * leaves it on and in place, because the step never made it.
     */
    @Test
    void theHostsOwnSwapFileSurvivesARunThatNamesIt(@TempDir Path runs) throws Exception {
        Path swapfile = Path.of("/var/tmp/lab-it-hosts-own-swapfile");
        run("dd", "if=/dev/zero", "of=" + swapfile, "bs=1M", "count=64");
        run("chmod", "600", swapfile.toString());
        run("mkswap", swapfile.toString());
        run("swapon", swapfile.toString());
        try {
            HostResidue.Snapshot before = HostResidue.snapshot();
            Path plan = Files.writeString(runs.resolveSibling(runs.getFileName() + "-plan.yaml"), """
                    name: hosts-own-swap
                    swap: {size: 64M, path: %s}
                    cgroups: [{path: t, memory_limit: 64M}]
                    workloads: [{name: w, cgroup: t, shell: "true"}]
                    """.formatted(swapfile));

            int exit = LabCommand.execute("run", plan.toString(), "--runs", runs.toString());

            assertEquals(1, exit);
            String error = RunResults.single(runs).iterations().get(0).get("error").asText();
            assertTrue(error.contains("refusing to overwrite " + swapfile), error);
            assertTrue(Files.readString(Path.of("/proc/swaps")).contains(swapfile + " "), "still swapped to");
            assertEquals(64L << 20, Files.size(swapfile));
            assertEquals(List.of(), HostResidue.leftSince(before));
        } finally {
            new ProcessBuilder("swapoff", swapfile.toString()).start().waitFor();
            Files.deleteIfExists(swapfile);
        }
    }

    /** /proc/swaps writes a space in a name as \\040: the undo still finds the swap file and turns it off. */
    @Test
    void aSwapFileWithASpaceInItsPathIsTurnedOffAndRemoved(@TempDir Path runs) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        String swapfile = "/var/tmp/lab it swap file";
        Path plan = Files.writeString(runs.resolveSibling(runs.getFileName() + "-plan.yaml"), """
                name: spaced-swap
                swap: {size: 64M, path: "%s"}
                cgroups: [{path: t, memory_limit: 64M}]
                workloads: [{name: w, cgroup: t, shell: "grep -cF 'lab\\\\040it' /proc/swaps"}]
                """.formatted(swapfile));

        int exit = LabCommand.execute("run", plan.toString(), "--runs", runs.toString());

        assertEquals(0, exit, "the swap file was on while the workload ran");
        assertFalse(Files.readString(Path.of("/proc/swaps")).contains("lab\\040it"), "turned off");
        assertFalse(Files.exists(Path.of(swapfile)));
        assertEquals(List.of(), HostResidue.leftSince(before));
    }

    private static void run(String... argv) throws Exception {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", argv) + ": " + said);
    }

    @Test
    void ctrlCTearsDownEveryHostBeforeExiting(@TempDir Path runs) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Process lab = startLab(runs, plan("long-workload"));
        LabProcess.waitForSleepers(3);

        new ProcessBuilder("kill", "-INT", Long.toString(lab.pid())).start().waitFor();

        if (!lab.waitFor(60, TimeUnit.SECONDS)) {
            // what it was doing, for the failure message: its own output and its threads
            new ProcessBuilder("jcmd", Long.toString(lab.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(runs.resolveSibling(runs.getFileName() + ".threads").toFile()).start()
                    .waitFor(20, TimeUnit.SECONDS);
            lab.destroyForcibly();
            lab.waitFor(10, TimeUnit.SECONDS);
            // what it left must not spoil the tests after this one: the failure is this test's alone
            LabCommand.execute("cleanup", "--host", "local", "--force");
            fail("lab did not exit within 60 s of Ctrl-C; its output:\n"
                    + Files.readString(runs.resolveSibling(runs.getFileName() + ".log")) + "\nits threads:\n"
                    + Files.readString(runs.resolveSibling(runs.getFileName() + ".threads")));
        }
        assertEquals(130, lab.exitValue());
        assertEquals("interrupted", RunResults.single(runs).manifest().get("status").asText());
        assertEquals(List.of(), HostResidue.leftSince(before));
    }

    /**
     * A killed orchestrator's run is live to lab cleanup while its heartbeats are recent (another orchestrator's run
     * looks just like it); --force undoes it at once.
     */
    @Test
    void cleanupLeavesALiveLookingRunAloneAndForceFinishesIt(@TempDir Path runs) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Process lab = startLab(runs, plan("long-workload"));
        LabProcess.waitForSleepers(3);

        lab.destroyForcibly(); // SIGKILL: no shutdown hook, no teardown
        lab.waitFor(30, TimeUnit.SECONDS);
        List<String> left = HostResidue.leftSince(before);
        assertTrue(left.stream().anyMatch(l -> l.startsWith("cgroup ")), "the killed run left its cgroups: " + left);

        streams.reset();
        int live = LabCommand.execute("cleanup", "--host", "local");
        assertEquals(0, live);
        assertTrue(streams.stdout().contains(": live (orchestrator="), streams.stdout());
        assertFalse(HostResidue.leftSince(before).isEmpty(), "a live-looking run is left alone");

        int forced = LabCommand.execute("cleanup", "--host", "local", "--force");

        assertEquals(0, forced);
        assertEquals(List.of(), HostResidue.leftSince(before));
    }

    /** Nobody runs lab cleanup: the host's watchdog undoes the run once the heartbeats have stopped. */
    @Test
    void theHostsWatchdogUndoesTheRunOfAKilledOrchestratorByItself(@TempDir Path runs) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Process lab = startLab(runs, LabProcess.withWatchdog(plan("long-workload"), Duration.ofSeconds(5),
                runs.getParent()));
        LabProcess.waitForSleepers(3);
        Instant killed = Instant.now();

        lab.destroyForcibly();
        lab.waitFor(30, TimeUnit.SECONDS);

        assertEquals(List.of(), LabProcess.waitUntilClean(before, Duration.ofSeconds(5 + 30)),
                "the host is clean within the watchdog's time and 30 s");
        System.out.printf("clean %.1fs after the kill (watchdog 5s)%n",
                Duration.between(killed, Instant.now()).toMillis() / 1000.0);
        streams.reset();
        assertEquals(0, LabCommand.execute("cleanup", "--host", "local"));
        assertTrue(streams.stdout().contains("nothing to clean up"), streams.stdout());
    }

    private static Process startLab(Path runs, Path plan) throws IOException {
        return LabProcess.start(runs.resolveSibling(runs.getFileName() + ".log"), "run", plan.toString(), "--runs",
                runs.toString());
    }
}
