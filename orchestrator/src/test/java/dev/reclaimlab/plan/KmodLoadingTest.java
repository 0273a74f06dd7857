package dev.reclaimlab.plan;

import dev.reclaimlab.arm64.Instruction;
import dev.reclaimlab.plan.PatchSpec.PlannedInstruction;
import dev.reclaimlab.yaml.Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.reclaimlab.plan.PlanTesting.load;
import static dev.reclaimlab.plan.PlanTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kmod section: the stress module's settings and the patch points, bound exactly or refused with a place. */
class KmodLoadingTest {
    @TempDir
    Path dir;

    private static final String HEAD = """
            name: k
            cgroups:
              - path: kubepods
                children: {count: 4}
            workloads: [{name: w, shell: x}]
            """;

    @Test
    void bindsEverySettingAsWritten() throws Exception {
        PlanFile file = load(dir, HEAD + """
                kmod:
                  stress: {cgroup: kubepods/pod02, cpus: [3, 0], loops: 0, nodes: 16, nr_pages: 0x200,
                           gfp: "GFP_KERNEL|__GFP_NOWARN  |0x20", duration: 2m}
                  patch:
                    symbol: shrink_slab
                    offset: "0x150"
                    expect: [paciasp, 0xd503201f, "bti c"]
                    replace: ["mov x0, #0", ret, d503201f]
                """);
        KmodSpec kmod = file.resolved().get(0).kmod();

        assertEquals(new StressSpec("kubepods/pod02", List.of(3, 0), 0, 16, 512,
                "GFP_KERNEL | __GFP_NOWARN | 0x20", Optional.of(Duration.ofMinutes(2)),
                new Location(file.source(), 7, 11)), kmod.stress().orElseThrow());
        PatchSpec patch = kmod.patch().orElseThrow();
        assertEquals(new PatchSpec("patch", "shrink_slab", 0x150,
                List.of(planned("paciasp", 0xd503233f), planned("0xd503201f", 0xd503201f),
                        planned("bti c", 0xd503245f)),
                List.of(planned("mov x0, #0", 0xd2800000), planned("ret", 0xd65f03c0),
                        planned("d503201f", 0xd503201f)),
                new Location(file.source(), 10, 5)), patch);
        assertEquals("shrink_slab+0x150", patch.where());
    }

    @Test
    void stressDefaultsAndAnEmptySection() throws Exception {
        StressSpec stress = load(dir, HEAD + "kmod:\n  stress: {cgroup: kubepods, cpus: [1]}\n")
                .resolved().get(0).kmod().stress().orElseThrow();
        assertEquals(List.of(50L, 8L, 100L), List.of(stress.loops(), (long) stress.nodes(), stress.nrPages()));
        assertEquals("GFP_KERNEL", stress.gfp());
        assertEquals(Optional.empty(), stress.duration());

        for (String kmod : List.of("", "kmod: {}\n")) {
            KmodSpec spec = load(dir, HEAD + kmod).resolved().get(0).kmod();
            assertTrue(spec.isEmpty(), kmod);
            assertEquals(new KmodSpec(Optional.empty(), Optional.empty()), spec);
        }
    }

    @Test
    void patchPointsAreChosenPerVariant() throws Exception {
        PlanFile file = load(dir, HEAD + """
                kmod:
                  stress: {cgroup: kubepods, cpus: [1]}
                  patch:
                    points:
                      A: {symbol: shrink_slab, offset: 0, expect: [paciasp], replace: ["mov x0, #0"]}
                      B: {symbol: do_shrink_slab, offset: 8, expect: [nop, nop], replace: ["mov x0, #0", ret]}
                    apply: ${point}
                variants:
                  matrix:
                    point: [none, A, B]
                """);
        assertEquals(List.of("point=none", "point=A", "point=B"),
                file.variants().stream().map(Variant::label).toList());
        Map<String, Optional<String>> applied = new java.util.LinkedHashMap<>();
        for (Variant v : file.variants()) {
            Plan plan = file.planFor(v);
            assertTrue(plan.kmod().stress().isPresent(), "the stress module runs in every variant");
            applied.put(v.label(), plan.kmod().patch().map(p -> p.point() + " " + p.where() + " " + p.at().line()));
        }
        assertEquals(Map.of("point=none", Optional.empty(), "point=A", Optional.of("A shrink_slab+0x0 10"),
                "point=B", Optional.of("B do_shrink_slab+0x8 11")), applied);
        PatchSpec b = file.resolved().get(2).kmod().patch().orElseThrow();
        assertEquals(List.of("mov x0, #0", "ret"), b.replace().stream().map(PlannedInstruction::source).toList());
    }

    @Test
    void stressProblemsAreReportedTogetherInPlace() {
        assertEquals(List.of(
                "plan.yaml:8:13: cgroup: no cgroup 'kubepods/pod5' is declared in cgroups or made by a fan-out; "
                        + "did you mean kubepods/pod01?",
                "plan.yaml:9:15: cpus: 2 is listed twice (first at line 9)",
                "plan.yaml:9:18: cpus: expected an integer 0..4095, got 5000",
                "plan.yaml:10:12: loops: expected an integer >= 0, got -1",
                "plan.yaml:11:15: nr_pages: expected an integer 1..1048576, got \"1M\"",
                "plan.yaml:12:10: gfp: expected a gfp mask like GFP_KERNEL, \"GFP_KERNEL | __GFP_NOWARN\" or "
                        + "0x6000c0 (GFP_ flag names or hex numbers joined by '|'), got \"GFP_KERNEL & ~__GFP_IO\"",
                "plan.yaml:13:15: duration: must be longer than 0s",
                "plan.yaml:14:5: unknown key 'node' in stress (expected one of: cgroup, cpus, loops, nodes, nr_pages, "
                        + "gfp, duration); did you mean nodes?",
                "plan.yaml:15:3: unknown key 'patches' in kmod (expected one of: stress, patch); did you mean patch?"),
                problems(dir, HEAD + """
                        kmod:
                          stress:
                            cgroup: kubepods/pod5
                            cpus: [2, 2, 5000]
                            loops: -1
                            nr_pages: 1M
                            gfp: GFP_KERNEL & ~__GFP_IO
                            duration: 0s
                            node: 8
                          patches: {}
                        """));
        assertEquals(List.of("plan.yaml:7:11: missing required key 'cgroup' in stress",
                        "plan.yaml:7:11: missing required key 'cpus' in stress",
                        "plan.yaml:8:10: patch: expected a map of patch settings (keys: symbol, offset, expect, "
                                + "replace, points, apply), got \"shrink_slab\""),
                problems(dir, HEAD + "kmod:\n  stress: {}\n  patch: shrink_slab\n"));
    }

    @Test
    void aBrokenFanOutIsReportedOnceNotAtTheStressCgroup() {
        assertEquals(List.of("plan.yaml:2:39: count: expected an integer 1..10000, got 0"),
                problems(dir, """
                        name: k
                        cgroups: [{path: a, children: {count: 0}}]
                        workloads: [{name: w, shell: x}]
                        kmod: {stress: {cgroup: a/pod01, cpus: [0]}}
                        """));
    }

    @Test
    void instructionProblemsPointAtTheItem() {
        assertEquals(List.of(
                "plan.yaml:9:13: offset: must be a multiple of 4 (AArch64 instructions are 4 bytes), got \"0x152\"",
                "plan.yaml:12:9: expect: expected exactly 8 hex digits (e.g. 0xd2800000 or d2800000), "
                        + "got \"0xd28000\"",
                "plan.yaml:13:9: expect: expected one of nop, ret, mov, movz, movk, b, bl, cbz, cbnz, brk, udf, "
                        + "hint, yield, paciasp, pacibsp, autiasp, autibsp, bti, isb; got \"add\"",
                "plan.yaml:14:14: replace: expected as many instructions as expect (3), got 2",
                "plan.yaml:14:20: replace: expected an immediate #0..#65535 for mov, got \"#65536\" "
                        + "(use movz/movk with lsl for larger values)"),
                problems(dir, HEAD + """
                        kmod:
                          patch:
                            symbol: shrink_slab
                            offset: "0x152"
                            expect:
                              - nop
                              - 0xd28000
                              - add x0, x0, #1
                            replace: [ret, "mov x0, #65536"]
                        """));
    }

    @Test
    void pointProblems() {
        String point = "{symbol: s, offset: 0, expect: [nop], replace: [ret]}";
        assertEquals(List.of(
                "plan.yaml:8:5: patch: symbol cannot be given next to points; give symbol, offset, expect, replace "
                        + "inside each point",
                "plan.yaml:10:7: points: invalid point name 'none' (expected 1 to 32 letters, digits, '_' and '-'; "
                        + "none is taken: apply: none means no patch)",
                "plan.yaml:11:7: points: invalid point name 'a b' (expected 1 to 32 letters, digits, '_' and '-')",
                "plan.yaml:12:13: missing required key 'offset' in patch point",
                "plan.yaml:13:12: apply: no patch point 'fats' in points; did you mean fast? (variant point=fats)"),
                problems(dir, HEAD + """
                        kmod:
                          patch:
                            symbol: s
                            points:
                              none: %1$s
                              a b: %1$s
                              fast: {symbol: s, expect: [nop], replace: [ret]}
                            apply: ${point}
                        variants: {matrix: {point: [none, fast, fats]}}
                        """.formatted(point)));
        assertEquals(List.of("plan.yaml:8:5: apply: chooses one of points, but this patch has no points; give "
                        + "points, or leave apply out to always patch"),
                problems(dir, HEAD + "kmod:\n  patch:\n    apply: A\n    symbol: s\n    offset: 0\n"
                        + "    expect: [nop]\n    replace: [ret]\n"));
    }

    private static PlannedInstruction planned(String source, int word) {
        return new PlannedInstruction(source, new Instruction(word));
    }
}
