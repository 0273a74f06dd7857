package dev.reclaimlab.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.reclaimlab.plan.PlanTesting.load;
import static dev.reclaimlab.plan.PlanTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanProfileTest {
    private static final String WORKLOAD = "workloads: [{name: w, command: [\"true\"]}]\n";

    @TempDir
    Path dir;

    @Test
    void aProfileSectionGivesItsFrequencyAndDefaultsTo99() throws Exception {
        assertEquals(Optional.of(new ProfileSpec(999)), load(dir, "name: p\nprofile: {frequency: 999, cpus: all, "
                + "kernel_stacks: true, user_stacks: false}\n" + WORKLOAD).resolved().get(0).profile());
        assertEquals(Optional.of(new ProfileSpec(99)), load(dir, "name: p\nprofile: {}\n" + WORKLOAD).resolved().get(0)
                .profile());
        assertEquals(Optional.empty(), load(dir, "name: p\n" + WORKLOAD).resolved().get(0).profile());
    }

    @Test
    void theToolIsPerfWhereTheHostHasItUnlessThePlanSays() throws Exception {
        ProfileSpec auto = new ProfileSpec(99);
        ProfileSpec lab = load(dir, "name: p\nprofile: {tool: lab}\n" + WORKLOAD).resolved().get(0).profile().get();
        ProfileSpec perf = load(dir, "name: p\nprofile: {tool: perf}\n" + WORKLOAD).resolved().get(0).profile().get();
        assertEquals(List.of(true, false, false, false, true, true),
                List.of(auto.usesPerf(true), auto.usesPerf(false), lab.usesPerf(true), lab.usesPerf(false),
                        perf.usesPerf(true), perf.usesPerf(false)));
        assertEquals(List.of("plan.yaml:2:17: tool: expected one of auto, lab, perf, got \"gdb\""),
                problems(dir, "name: p\nprofile: {tool: gdb}\n" + WORKLOAD));
    }

    @Test
    void whatLabCannotSampleIsRefusedAtItsPlace() {
        assertEquals(List.of(
                "plan.yaml:2:22: frequency: expected an integer 1..10000, got 0",
                "plan.yaml:3:9: cpus: lab samples every CPU: 'all' is the only value, got \"0-1\"",
                "plan.yaml:4:18: kernel_stacks: kernel stacks are what lab samples: must be true",
                "plan.yaml:5:16: user_stacks: lab's sampler does not walk user stacks (user time is counted as [user]): "
                        + "must be false"),
                problems(dir, "name: p\nprofile: {frequency: 0,\n  cpus: 0-1,\n  kernel_stacks: false,\n"
                        + "  user_stacks: true}\n" + WORKLOAD));
    }
}
