package dev.reclaimlab.cli;

import dev.reclaimlab.testing.CapturedStreams;
import dev.reclaimlab.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes, messages, and that bad input touches nothing. */
class LabCommandTest {
    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();

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
    void everySubcommandIsBuiltUnderItsOwnNameAndHelpListsThemAll() {
        for (String name : LabCommand.SUBCOMMANDS) {
            assertEquals(name, new picocli.CommandLine(LabCommand.subcommand(name)).getCommandName());
        }
        assertEquals(LabCommand.SUBCOMMANDS, List.copyOf(LabCommand.cli().getSubcommands().keySet()));
        assertEquals(List.of("plan"), List.copyOf(LabCommand.cli("plan", "x.yaml").getSubcommands().keySet()),
                "a command line that names a subcommand builds only that one");
        assertEquals(0, LabCommand.execute("--version"));
        assertTrue(streams.stdout().startsWith("lab "), streams.stdout());
        assertEquals(2, LabCommand.execute("frobnicate"));
        assertTrue(streams.stderr().contains("Unmatched argument") && streams.stderr().contains("validate"),
                "an unknown subcommand is answered with the list: " + streams.stderr());
    }

    @Test
    void runWithABadPlanExitsTwoWithLocatedErrorsAndTouchesNothing(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");

        int exit = LabCommand.execute("run", badPlan(dir).toString(), "--runs", runs.toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertTrue(streams.stderr().contains("bad.yaml:4:5: unknown key 'memory_limt'"), streams.stderr());
        assertTrue(streams.stderr().contains("did you mean memory_limit?"), streams.stderr());
        assertTrue(streams.stderr().contains("bad.yaml:7:13:"), "the dangling cgroup reference is located too: " + streams.stderr());
        assertFalse(streams.stderr().contains("Exception"), "no stack trace: " + streams.stderr());
        assertFalse(Files.exists(runs), "no run directory for a plan that never ran");
    }

    @Test
    void validateReportsEachPlanAndFailsIfAnyIsBad(@TempDir Path dir) throws Exception {
        Path good = Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml");

        int exit = LabCommand.execute("validate", good.toString(), badPlan(dir).toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertTrue(streams.stdout().contains("swappiness.yaml: ok (2 variants x 1 repeat)"), streams.stdout());
        assertTrue(streams.stderr().contains("bad.yaml:4:5:"), streams.stderr());
    }

    @Test
    void planPrintsEveryCommandWithItsUndoWithoutContactingTheHost() {
        Path plan = Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml");

        int exit = LabCommand.execute("plan", plan.toString(), "--cgroup", "1");

        assertEquals(ExitCodes.OK, exit, streams.stderr());
        assertTrue(streams.stdout().contains("/test memory.limit_in_bytes 104857600 memory.swappiness 100"),
                streams.stdout());
        assertTrue(streams.stdout().contains("/test memory.limit_in_bytes 104857600 memory.swappiness 0"),
                streams.stdout());
        assertTrue(streams.stdout().contains("undo: lab_swapoff_rm"), streams.stdout());
        assertTrue(streams.stdout().contains("lab_spawn"), streams.stdout());
    }

    @Test
    void theCommandLineSetsParametersAndChoosesVariantsWithoutEditingThePlaybook() {
        Path plan = Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml");

        int exit = LabCommand.execute("plan", plan.toString(), "--cgroup", "1", "-p", "swappiness=60,100",
                "--variant", "swappiness=60");

        assertEquals(ExitCodes.OK, exit, streams.stderr());
        assertTrue(streams.stdout().contains("/test memory.limit_in_bytes 104857600 memory.swappiness 60"),
                streams.stdout());
        assertFalse(streams.stdout().contains("memory.swappiness 100"), "--variant left only 60");
        assertFalse(streams.stdout().contains("memory.swappiness 0"), "-p replaced the playbook's values");

        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("run", plan.toString(), "-p", "swapiness=1"));
        assertTrue(streams.stderr().contains("-p swapiness=1 (column 1): the plan has no parameter 'swapiness'; did "
                + "you mean swappiness?"), streams.stderr());
    }

    @Test
    void planSaysWhatAnAssumedHostLacksInsteadOfCommands() {
        Path plan = Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml");

        int exit = LabCommand.execute("plan", plan.toString());

        assertEquals(ExitCodes.UNMET, exit, streams.stderr());
        assertTrue(streams.stdout().contains("UNMET: " + plan + ":15:5: cgroup test sets swappiness, which only cgroup v1 has"),
                streams.stdout());
        assertTrue(streams.stdout().contains("--cgroup 1 or --probe"), streams.stdout());
        assertFalse(streams.stdout().contains("lab_spawn"), "no commands for a host that cannot run them");
    }

    @Test
    void anUnknownHostIsBadInput(@TempDir Path dir) {
        Path plan = Prerequisites.repoRoot().resolve("playbooks/swappiness.yaml");

        int exit = LabCommand.execute("run", plan.toString(), "--host", "nosuch", "--runs", dir.resolve("runs").toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertTrue(streams.stderr().contains("no host named nosuch"), streams.stderr());
        assertFalse(Files.exists(dir.resolve("runs")));
    }
}
