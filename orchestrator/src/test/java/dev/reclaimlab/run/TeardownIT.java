package dev.reclaimlab.run;

import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.testing.HostResidue;
import dev.reclaimlab.testing.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nothing is left behind on a host: not after a failed step, not after Ctrl-C, and after a killed orchestrator
 * {@code lab cleanup} finishes the job. Checked against this machine's real state.
 */
class TeardownIT {

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
        waitForWorkloads();

        new ProcessBuilder("kill", "-INT", Long.toString(lab.pid())).start().waitFor();

        assertTrue(lab.waitFor(60, TimeUnit.SECONDS), "lab exits after Ctrl-C");
        assertEquals(130, lab.exitValue());
        assertEquals("interrupted", RunResults.single(runs).manifest().get("status").asText());
        assertEquals(List.of(), HostResidue.leftSince(before));
    }

    @Test
    void cleanupFinishesTheUndoOfAKilledOrchestrator(@TempDir Path runs) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Process lab = startLab(runs, plan("long-workload"));
        waitForWorkloads();

        lab.destroyForcibly(); // SIGKILL: no shutdown hook, no teardown
        lab.waitFor(30, TimeUnit.SECONDS);
        List<String> left = HostResidue.leftSince(before);
        assertTrue(left.stream().anyMatch(l -> l.startsWith("cgroup ")), "the killed run left its cgroups: " + left);
        assertTrue(left.stream().anyMatch(l -> l.startsWith("journal ")), "and its journal: " + left);

        int exit = LabCommand.execute("cleanup", "--host", "local");

        assertEquals(0, exit);
        assertEquals(List.of(), HostResidue.leftSince(before));
    }

    /** lab in a JVM of its own, so it can be interrupted and killed like a user's. */
    private static Process startLab(Path runs, Path plan) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                LabCommand.class.getName(), "run", plan.toString(), "--runs", runs.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(runs.resolveSibling(runs.getFileName() + ".log").toFile()).start();
    }

    /** Waits until the sleepers run in their cgroups (the workloads step is journaled on the host by then). */
    private static void waitForWorkloads() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (sleepersRunning() == 3) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the sleepers never started");
    }

    private static long sleepersRunning() throws IOException {
        Path memory = Path.of("/sys/fs/cgroup/memory");
        if (!Files.isDirectory(memory)) {
            memory = Path.of("/sys/fs/cgroup");
        }
        try (Stream<Path> walk = Files.walk(memory, 4)) {
            return walk.filter(p -> p.toString().contains(File.separator + "lab-") && p.endsWith("cgroup.procs"))
                    .filter(p -> p.getParent().getFileName().toString().startsWith("pod"))
                    .filter(p -> {
                        try {
                            return !Files.readString(p).isBlank();
                        } catch (IOException e) {
                            return false;
                        }
                    }).count();
        }
    }
}
