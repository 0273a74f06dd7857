package dev.reclaimlab.plan;

import dev.reclaimlab.units.Size;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.reclaimlab.plan.PlanTesting.load;
import static dev.reclaimlab.plan.PlanTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PlanVariantsTest {
    @TempDir
    Path dir;

    private static Variant variant(String... keyValues) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return new Variant(values);
    }

    @Test
    void matrixExpandsInDeclarationOrderFirstKeySlowest() throws Exception {
        PlanFile file = load(dir, """
                name: m
                cgroups:
                  - path: kubepods
                    swappiness: ${swappiness}
                    children: {count: "${pods}", prefix: pod}
                workloads:
                  - name: w
                    shell: "echo ${pods}"
                variants:
                  matrix:
                    swappiness: [100, 0]
                    pods: [10, 40, 80]
                """);
        assertEquals(List.of(
                variant("swappiness", "100", "pods", "10"),
                variant("swappiness", "100", "pods", "40"),
                variant("swappiness", "100", "pods", "80"),
                variant("swappiness", "0", "pods", "10"),
                variant("swappiness", "0", "pods", "40"),
                variant("swappiness", "0", "pods", "80")), file.variants());
        assertEquals("swappiness=100, pods=40", file.variants().get(1).label());
        assertEquals("swappiness-100_pods-40", file.variants().get(1).slug());
        assertEquals(1, file.repeat());
        assertEquals(6, file.resolved().size());
        Plan p = file.planFor(variant("swappiness", "0", "pods", "40"));
        CgroupSpec kubepods = p.cgroups().get(0);
        assertEquals(Optional.of(0), kubepods.swappiness());
        assertEquals(40, kubepods.children().orElseThrow().count());
        assertEquals(new WorkloadCommand.Shell("echo 40"), p.workloads().get(0).command());
    }

    @Test
    void exactReferencesKeepTheirTypeAndTextIsInterpolated() throws Exception {
        PlanFile file = load(dir, """
                name: subst
                description: "limit ${limit}, block ${block}; literal $${HOME} and $$ and $HOME"
                swap:
                  size: ${swap}
                cgroups:
                  - path: "${group}"
                    memory_limit: ${limit}
                    swap_max: "${mb}M"
                    swappiness: "${swappiness}"
                workloads:
                  - name: dd
                    cgroup: ${group}
                    timeout: ${timeout}
                    dd: {if: /dev/zero, of: "out-${mb}.img", bs: "${block}", count: "${mb}"}
                  - name: argv
                    command: [echo, "${flag}", "${mb}"]
                variants:
                  matrix:
                    limit: [300M, max]
                  repeat: 3
                params:
                  swap: 2G
                  group: kubepods
                  mb: 64
                  swappiness: 60
                  block: 1M
                  timeout: 90s
                  flag: yes
                """);
        assertEquals(List.of(variant("limit", "300M"), variant("limit", "max")), file.variants());
        assertEquals(3, file.repeat());
        Plan first = file.resolved().get(0);
        Plan second = file.resolved().get(1);
        assertEquals("limit 300M, block 1M; literal ${HOME} and $$ and $HOME", first.description());
        assertEquals("limit max, block 1M; literal ${HOME} and $$ and $HOME", second.description());
        assertEquals(Size.parse("2G"), first.swap().orElseThrow().size());
        CgroupSpec c = first.cgroups().get(0);
        assertEquals("kubepods", c.path());
        assertEquals(Optional.of(Limit.of(Size.parse("300M"))), c.memoryLimit());
        assertEquals(Optional.of(Limit.MAX), second.cgroups().get(0).memoryLimit());
        assertEquals(Optional.of(Limit.of(Size.parse("64M"))), c.swapMax());
        assertEquals(Optional.of(60), c.swappiness());
        WorkloadSpec dd = first.workloads().get(0);
        assertEquals(Optional.of("kubepods"), dd.cgroup());
        assertEquals(java.time.Duration.ofSeconds(90), dd.timeout());
        assertEquals(new WorkloadCommand.Dd(Map.of("if", "/dev/zero", "of", "out-64.img", "bs", "1M", "count", "64")),
                dd.command());
        assertEquals(new WorkloadCommand.Argv(List.of("echo", "yes", "64")), first.workloads().get(1).command());
    }

    @Test
    void aBadValueInOneVariantNamesTheVariantAndTheReference() {
        assertEquals(List.of(
                "plan.yaml:5:17: swappiness: expected an integer 0..200, got \"abc\" (variant swappiness=abc)",
                "plan.yaml:5:17: swappiness: expected an integer 0..200, got 300 (variant swappiness=300)",
                "plan.yaml:6:19: memory_limit: expected a size like 100M, 1G, 64Mi or 4096, or max, got \"lots\" "
                        + "(variant limit=lots)",
                "plan.yaml:7:11: path: expected a cgroup path without '.' or '..', got \"x/..\" (variant sub=..)"),
                problems(dir, """
                        name: v
                        cgroups:
                          - path: x
                          - path: kubepods
                            swappiness: ${swappiness}
                            memory_limit: ${limit}
                          - path: "x/${sub}"
                        workloads: [{name: w, shell: x}]
                        variants:
                          matrix:
                            swappiness: [100, abc, 0, 300]
                            limit: [1G, lots]
                            sub: [a, ..]
                        """));
    }

    @Test
    void aProblemElsewhereThatOnlySomeVariantsHaveNamesThem() {
        assertEquals(List.of(
                "plan.yaml:6:13: cgroup: no cgroup 'b' is declared in cgroups (declared: a, c) (variant p=c)"),
                problems(dir, """
                        name: v
                        cgroups:
                          - {path: a}
                          - {path: "${p}"}
                        workloads:
                          - cgroup: b
                            name: w
                            shell: x
                        variants:
                          matrix:
                            p: [b, c]
                        """));
    }

    @Test
    void aBadDefaultNamesTheParameter() {
        assertEquals(List.of("plan.yaml:4:23: count: expected an integer 1..10000, got \"many\" (parameter pods=many)"),
                problems(dir, """
                        name: v
                        cgroups:
                          - path: a
                            children: {count: "${pods}"}
                        workloads: [{name: w, shell: x}]
                        params:
                          pods: many
                        """));
    }

    @Test
    void quotedNumbersInTheMatrixStayText() {
        assertEquals(List.of("plan.yaml:4:17: swappiness: expected an integer 0..200, got \"60\" (variant s=60)"),
                problems(dir, """
                        name: v
                        cgroups:
                          - path: a
                            swappiness: ${s}
                        workloads: [{name: w, shell: x}]
                        variants:
                          matrix:
                            s: ["60"]
                        """));
    }

    @Test
    void danglingAndUnusedParameters() {
        assertEquals(List.of(
                "plan.yaml:4:17: ${swapiness}: no parameter 'swapiness' in variants.matrix or params; "
                        + "did you mean swappiness?",
                "plan.yaml:7:12: ${nothing}: no parameter 'nothing' in variants.matrix or params",
                "plan.yaml:10:5: parameter 'swappiness' is never used; refer to it as ${swappiness} in the plan, "
                        + "or remove it",
                "plan.yaml:12:3: parameter 'spare' is never used; refer to it as ${spare} in the plan, or remove it"),
                problems(dir, """
                        name: v
                        cgroups:
                          - path: a
                            swappiness: ${swapiness}
                        workloads:
                          - name: w
                            shell: ${nothing} and more
                        variants:
                          matrix:
                            swappiness: [1, 2]
                        params:
                          spare: 1
                        """));
    }

    @Test
    void parameterSyntaxProblems() {
        assertEquals(List.of(
                "plan.yaml:1:7: name: expected a name made of letters, digits, '.', '_' and '-', not starting with "
                        + "'.' or '-', got \"${n}\"",
                "plan.yaml:4:12: '${' without a closing '}' (write $${ for a literal ${)",
                "plan.yaml:6:12: '${HOME}' is not a parameter reference: parameter names are lower case letters, "
                        + "digits and '_', starting with a letter (write $${ for a literal ${)",
                "plan.yaml:9:5: invalid parameter name 'Pods' (expected lower case letters, digits and '_', starting "
                        + "with a letter)",
                "plan.yaml:10:5: parameter 'n' is never used; refer to it as ${n} in the plan, or remove it",
                "plan.yaml:10:8: n: expected a list of values, got an empty list",
                "plan.yaml:11:5: parameter 'm' is never used; refer to it as ${m} in the plan, or remove it",
                "plan.yaml:11:12: m: value 1 is listed twice (first at line 11)",
                "plan.yaml:13:3: params: parameter 'n' is also in variants.matrix, so this default would never be "
                        + "used; remove one of them",
                "plan.yaml:14:3: parameter 'x' is never used; refer to it as ${x} in the plan, or remove it",
                "plan.yaml:14:6: x: expected a value (text, a number or true/false), got a list"),
                problems(dir, """
                        name: ${n}
                        workloads:
                          - name: a
                            shell: "echo ${oops"
                          - name: b
                            shell: "echo ${HOME}"
                        variants:
                          matrix:
                            Pods: [1]
                            n: []
                            m: [1, 1]
                        params:
                          n: 2
                          x: [1]
                        """));
    }

    @Test
    void directoryNameClashesAreCaught() {
        assertEquals(List.of("plan.yaml:8:5: matrix: variants 'tag=a b' and 'tag=a_b' would share the directory "
                        + "name 'tag-a_b'; make the values differ in letters, digits, '.', '_' or '-'"),
                problems(dir, """
                        name: v
                        workloads:
                          - name: w
                            shell: "echo ${tag}"
                        variants:
                          repeat: 2
                          matrix:
                            tag: [a b, a_b]
                        """));
    }

    @Test
    void tooManyVariants() {
        assertEquals(List.of("plan.yaml:5:5: matrix: makes more than 1000 variants; use fewer values"),
                problems(dir, """
                        name: v
                        workloads: [{name: w, shell: "${a} ${b} ${c}"}]
                        variants:
                          matrix:
                            a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
                            b: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
                            c: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
                        """));
    }

    @Test
    void repeatMustBePositive() {
        assertEquals(List.of("plan.yaml:4:11: repeat: expected an integer 1..1000, got 0"),
                problems(dir, "name: v\nworkloads: [{name: w, shell: x}]\nvariants:\n  repeat: 0\n"));
    }
}
