package dev.reclaimlab.testing;

import dev.reclaimlab.cli.LabCommand;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** lab in a JVM of its own, so a test can interrupt or kill it as a user's would be; and waiting for its workloads. */
public final class LabProcess {
    private LabProcess() {}

    /** {@code lab ARGS...}, its output in {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        return start(log, Map.of(), args);
    }

    /** {@code lab ARGS...} with these extra environment variables, its output in {@code log}. */
    public static Process start(Path log, Map<String, String> environment, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // SIGINT as a user's shell gives it: a test suite started in the background by a non-interactive shell
        // (`.ci/run &`) runs with SIGINT ignored, every child inherits that, and a JVM started so never sees Ctrl-C.
        List<String> command = new ArrayList<>(List.of(Prerequisites.require("env"), "--default-signal=INT", java,
                "-cp", System.getProperty("java.class.path"), LabCommand.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    /** Waits until lab, started with {@link #start}, has printed {@code text} into {@code log}; fails if it ends first. */
    public static void awaitOutput(Process lab, Path log, String text, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Files.readString(log).contains(text)) {
            if (System.nanoTime() >= deadline || !lab.isAlive()) {
                throw new AssertionError("lab never printed \"" + text + "\":\n" + Files.readString(log));
            }
            Thread.sleep(500);
        }
    }

    /**
     * Waits until {@code count} workloads run in lab's "pod" cgroups on this machine (the workloads step is journaled
     * on the host by then).
     */
    public static void waitForSleepers(int count) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            if (sleepersRunning() == count) {
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

    /** A copy of {@code plan} whose hosts undo it by themselves after {@code watchdog} without a heartbeat. */
    public static Path withWatchdog(Path plan, Duration watchdog, Path dir) throws IOException {
        Path copy = dir.resolve(plan.getFileName().toString().replace(".yaml", "-watchdog.yaml"));
        Files.writeString(copy, Files.readString(plan) + "\nwatchdog: " + watchdog.toSeconds() + "s\n");
        return copy;
    }

    /** Waits up to {@code limit} for this machine to be as it was before the run; returns what is still left. */
    public static List<String> waitUntilClean(HostResidue.Snapshot before, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        List<String> left = HostResidue.leftSince(before);
        while (!left.isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
            left = HostResidue.leftSince(before);
        }
        return left;
    }
}
