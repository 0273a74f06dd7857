package dev.reclaimlab.plan;

import dev.reclaimlab.boot.BootTarget;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.reclaimlab.plan.PlanTesting.load;
import static dev.reclaimlab.plan.PlanTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanBootTest {
    @TempDir
    Path dir;

    private static final String MATRIX = """
            name: nokmem
            boot:
              kernel: ${kernel}
              cmdline: {add: ["${kmem}"], remove: [quiet]}
            workloads: [{name: w, command: ["true"]}]
            variants:
              matrix:
                kmem: [cgroup.memory=nokmem, ""]
                kernel: [6.1.0-44-arm64, 6.12.57+deb13-arm64]
            """;

    @Test
    void eachKernelAndCmdlineIsOneBootGroupWithAllItsVariantsInMatrixOrder() throws Exception {
        PlanFile file = load(dir, MATRIX);
        List<PlanFile.BootGroup> groups = file.bootGroups();
        assertEquals(List.of(
                new BootTarget(Optional.of("6.1.0-44-arm64"), List.of("cgroup.memory=nokmem"), List.of("quiet")),
                new BootTarget(Optional.of("6.12.57+deb13-arm64"), List.of("cgroup.memory=nokmem"), List.of("quiet")),
                new BootTarget(Optional.of("6.1.0-44-arm64"), List.of(), List.of("quiet")),
                new BootTarget(Optional.of("6.12.57+deb13-arm64"), List.of(), List.of("quiet"))),
                groups.stream().map(PlanFile.BootGroup::target).toList());
        for (PlanFile.BootGroup group : groups) {
            assertEquals(1, group.plan().variants().size());
            Plan plan = group.plan().resolved().get(0);
            assertEquals(group.target(), plan.bootTarget());
            assertEquals(plan, file.planFor(group.plan().variants().get(0)));
        }
        assertTrue(file.boots());
        assertEquals("kernel 6.1.0-44-arm64, cmdline +cgroup.memory=nokmem -quiet", groups.get(0).target().label());
    }

    @Test
    void variantsThatShareABootShareItsGroupEvenWhenTheMatrixInterleavesThem() throws Exception {
        PlanFile file = load(dir, """
                name: interleaved
                boot: {kernel: "${kernel}"}
                workloads: [{name: w, command: ["true"], timeout: "${t}"}]
                variants:
                  matrix:
                    t: [10s, 20s]
                    kernel: [6.1, 6.12]
                  repeat: 2
                """);
        List<PlanFile.BootGroup> groups = file.bootGroups();
        assertEquals(2, groups.size());
        assertEquals(List.of("t=10s, kernel=6.1", "t=20s, kernel=6.1"),
                groups.get(0).plan().variants().stream().map(Variant::label).toList());
        assertEquals(List.of("t=10s, kernel=6.12", "t=20s, kernel=6.12"),
                groups.get(1).plan().variants().stream().map(Variant::label).toList());
        assertEquals(2, groups.get(1).plan().repeat());
    }

    @Test
    void aPlanWithoutBootOrWithAnEmptyOneIsOneGroupOnTheHostsDefault() throws Exception {
        for (String boot : List.of("", "boot: {cmdline: {add: [\"\"]}}\n")) {
            PlanFile file = load(dir, "name: plain\n" + boot + "workloads: [{name: w, command: [\"true\"]}]\n");
            assertEquals(List.of(BootTarget.hostDefault()),
                    file.bootGroups().stream().map(PlanFile.BootGroup::target).toList());
            assertFalse(file.boots());
            assertEquals(Optional.empty(), file.resolved().get(0).boot());
        }
    }

    @Test
    void badBootValuesAreNamedWithTheirPlace() {
        assertEquals(List.of(
                "plan.yaml:3:11: kernel: expected a kernel: a release like 6.1.0-44-arm64, a Debian package name or "
                        + "version (6.12 picks the newest of a series where lab knows the packages), or a path to a "
                        + ".deb, .rpm or kernel folder (letters, digits and ._+~:/=- only), got \"6.1; reboot\"",
                "plan.yaml:5:11: add: must be one command-line word (printable, without blanks or quotes), got "
                        + "\"a b\"",
                "plan.yaml:6:21: remove: 'quiet' is listed twice",
                "plan.yaml:7:5: unknown key 'replace' in cmdline (expected one of: add, remove)",
                "plan.yaml:8:3: unknown key 'kernal' in boot (expected one of: kernel, cmdline); did you mean kernel?"),
                problems(dir, """
                        name: bad
                        boot:
                          kernel: "6.1; reboot"
                          cmdline:
                            add: ["a b", nokaslr]
                            remove: [quiet, quiet]
                            replace: []
                          kernal: x
                        workloads: [{name: w, command: ["true"]}]
                        """));
    }

    @Test
    void aWordBothAddedAndRemovedIsRefused() {
        assertEquals(List.of("plan.yaml:3:12: cmdline: cgroup.memory=nokmem is both added and removed (by "
                        + "'cgroup.memory')"),
                problems(dir, """
                        name: both
                        boot:
                          cmdline: {add: [cgroup.memory=nokmem], remove: [cgroup.memory]}
                        workloads: [{name: w, command: ["true"]}]
                        """));
        assertEquals(List.of("plan.yaml:2:16: kernel: must not start with '-', got \"-rf\""),
                problems(dir, "name: dash\nboot: {kernel: \"-rf\"}\nworkloads: [{name: w, command: [\"true\"]}]\n"));
    }
}
