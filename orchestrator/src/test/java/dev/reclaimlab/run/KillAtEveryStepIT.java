package dev.reclaimlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.cli.ExitCodes;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.CapturedStreams;
import dev.reclaimlab.testing.HostResidue;
import dev.reclaimlab.testing.LabProcess;
import dev.reclaimlab.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fault injection: lab is SIGKILLed after each step of playbooks/swappiness.yaml (its swappiness=100 variant) in
 * turn — every boundary of the step log of a complete run, none hand-picked. After each kill, with nobody running cleanup, the host's watchdog
 * must leave this machine as it was; then {@code lab cleanup} must find nothing to do, and {@code lab report} must
 * read what the killed run left.
 */
class KillAtEveryStepIT {
    private static final Duration WATCHDOG = Duration.ofSeconds(5);
    /** What the issue allows a dead-man switch beyond its own time: SSH keepalives notice a dead link in 30 s. */
    private static final Duration MARGIN = Duration.ofSeconds(30);

    /** Written at the end, when System.out is the test's own again: one line per kill point. */
    private static final List<String> TABLE = new ArrayList<>();

    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();

    @BeforeAll
    static void realHost() {
        Prerequisites.requireRootWithMemoryCgroups();
    }

    @Test
    void theWatchdogLeavesTheHostCleanAfterAKillAtEveryStepBoundary(@TempDir Path dir) throws Exception {
        Path plan = LabProcess.withWatchdog(Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml"), WATCHDOG,
                dir);
        // One variant: the second one's steps are the first one's with another value, so killing lab at its boundaries
        // too tested no new step, and took half of this test's seven minutes.
        String text = Files.readString(plan);
        assertTrue(text.contains("swappiness: [100, 0]"), "the playbook's matrix moved; adjust this test");
        Files.writeString(plan, text.replace("swappiness: [100, 0]", "swappiness: [100]"));
        HostResidue.Snapshot before = HostResidue.snapshot();

        List<String> steps = referenceRun(plan, dir.resolve("reference"));
        assertTrue(steps.size() >= 15, "a complete run logs every step: " + steps);

        double slowest = 0;
        for (int k = 1; k <= steps.size(); k++) {
            String where = "killed after step " + k + " (" + steps.get(k - 1) + ")";
            Path runs = dir.resolve("kill-" + k);
            Path log = dir.resolve("kill-" + k + ".log");
            Process lab = LabProcess.start(log, Map.of("LAB_PAUSE_AFTER_STEP", Integer.toString(k)), "run",
                    plan.toString(), "--runs", runs.toString());
            waitForPause(lab, log, k);
            Instant killed = Instant.now();
            lab.destroyForcibly(); // SIGKILL: no shutdown hook, no teardown, no last heartbeat
            assertTrue(lab.waitFor(30, TimeUnit.SECONDS), where + ": lab did not die");

            List<String> left = LabProcess.waitUntilClean(before, WATCHDOG.plus(MARGIN));
            assertEquals(List.of(), left, where + ": the watchdog left this behind");
            double seconds = Duration.between(killed, Instant.now()).toMillis() / 1000.0;
            slowest = Math.max(slowest, seconds);

            streams.reset();
            assertEquals(ExitCodes.OK, LabCommand.execute("cleanup", "--host", "local"), where + streams.stderr());
            assertTrue(streams.stdout().contains("nothing to clean up"), where + ": " + streams.stdout());
            assertEquals(List.of(), HostResidue.leftSince(before), where + ": after lab cleanup");

            Path run = RunResults.single(runs).dir();
            streams.reset();
            int report = LabCommand.execute("report", run.toString());
            assertEquals(ExitCodes.OK, report, where + ": lab report on the killed run: " + streams.stderr());
            assertTrue(streams.stderr().contains("did not finish"), where + ": " + streams.stderr());
            TABLE.add(String.format("%3d %-40s clean %.1fs after the kill", k, steps.get(k - 1), seconds));
        }
        TABLE.add(String.format("%d kill points, watchdog %ss: every one clean, slowest %.1fs after the kill",
                steps.size(), WATCHDOG.toSeconds(), slowest));
    }

    @AfterAll
    static void printTable() throws Exception {
        System.out.println(String.join("\n", TABLE));
        Files.write(Path.of("target/kill-points.txt"), TABLE);
    }

    /** A complete run of the plan: its step log names the kill points. */
    private static List<String> referenceRun(Path plan, Path runs) throws Exception {
        Path log = runs.resolveSibling("reference.log");
        Process lab = LabProcess.start(log, "run", plan.toString(), "--runs", runs.toString());
        assertTrue(lab.waitFor(5, TimeUnit.MINUTES), "the reference run did not end");
        assertEquals(0, lab.exitValue(), Files.readString(log));
        List<String> steps = new ArrayList<>();
        for (String line : Files.readAllLines(RunResults.single(runs).file("steps.jsonl"))) {
            JsonNode record = Json.mapper().readTree(line);
            steps.add(record.get("iteration").asText() + " " + record.get("step").asText());
        }
        return steps;
    }

    private static void waitForPause(Process lab, Path log, int k) throws Exception {
        String marker = "lab: paused after step " + k + " ";
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            if (Files.readString(log).contains(marker)) {
                return;
            }
            if (!lab.isAlive()) {
                throw new AssertionError("lab ended before step " + k + ":\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        lab.destroyForcibly();
        throw new AssertionError("lab never paused after step " + k + ":\n" + Files.readString(log));
    }
}
