package dev.reclaimlab.cli;

import dev.reclaimlab.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes, messages, and that bad input touches nothing. */
class LabCommandTest {
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

    private static Path badPlan(Path dir) throws Exception {
        Path plan = dir.resolve("bad.yaml");
        Files.writeString(plan, String.join("\n",
                "name: bad",
                "cgroups:",
                "  - path: test",
                "    memory_limt: 100M",
                "workloads:",
                "  - name: dd",
                "    cgroup: tset",
                "    dd: {if: /dev/zero, of: a.img, bs: 1M, count: 1}",
                ""));
        return plan;
    }

    @Test
    void runWithABadPlanExitsTwoWithLocatedErrorsAndTouchesNothing(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");

        int exit = LabCommand.execute("run", badPlan(dir).toString(), "--runs", runs.toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertTrue(stderr().contains("bad.yaml:4:5: unknown key 'memory_limt'"), stderr());
        assertTrue(stderr().contains("did you mean memory_limit?"), stderr());
        assertTrue(stderr().contains("bad.yaml:7:13:"), "the dangling cgroup reference is located too: " + stderr());
        assertFalse(stderr().contains("Exception"), "no stack trace: " + stderr());
        assertFalse(Files.exists(runs), "no run directory for a plan that never ran");
    }

    @Test
    void validateReportsEachPlanAndFailsIfAnyIsBad(@TempDir Path dir) throws Exception {
        Path good = Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml");

        int exit = LabCommand.execute("validate", good.toString(), badPlan(dir).toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertTrue(stdout().contains("swappiness.yaml: ok (2 variants x 1 repeat)"), stdout());
        assertTrue(stderr().contains("bad.yaml:4:5:"), stderr());
    }

    @Test
    void planPrintsEveryCommandWithItsUndoWithoutContactingTheHost() {
        Path plan = Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml");

        int exit = LabCommand.execute("plan", plan.toString(), "--cgroup", "1");

        assertEquals(ExitCodes.OK, exit, stderr());
        assertTrue(stdout().contains("/memory.swappiness 100"), stdout());
        assertTrue(stdout().contains("/memory.swappiness 0"), stdout());
        assertTrue(stdout().contains("undo: lab_swapoff_rm"), stdout());
        assertTrue(stdout().contains("lab_spawn"), stdout());
    }

    @Test
    void anUnknownHostIsBadInput(@TempDir Path dir) {
        Path plan = Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml");

        int exit = LabCommand.execute("run", plan.toString(), "--host", "nosuch", "--runs", dir.resolve("runs").toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertTrue(stderr().contains("no host named nosuch"), stderr());
        assertFalse(Files.exists(dir.resolve("runs")));
    }
}
