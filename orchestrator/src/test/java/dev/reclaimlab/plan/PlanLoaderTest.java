package dev.reclaimlab.plan;

import dev.reclaimlab.units.Size;
import dev.reclaimlab.yaml.Location;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.reclaimlab.plan.PlanTesting.load;
import static dev.reclaimlab.plan.PlanTesting.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanLoaderTest {
    @TempDir
    Path dir;

    private List<String> problemsOf(String yaml) {
        return problems(dir, yaml);
    }

    @Test
    void loadsAFullPlan() throws Exception {
        PlanFile file = load(dir, """
                name: full
                description: everything once
                hosts: [local, arm01]
                drop_caches: false
                swap:
                  size: 1G
                  path: /var/tmp/lab-swap
                  priority: 10
                sysctl:
                  vm.min_free_kbytes: 65536
                  net.ipv4.conf.eth0.rp_filter: "2"
                cgroups:
                  - path: kubepods
                    memory_limit: 300M
                    swappiness: 60
                    swap_max: 0
                    children:
                      count: 40
                      prefix: pod
                      memory_limit: 20M
                      swappiness: 30
                      swap_max: max
                  - path: kubepods/besteffort
                    memory_limit: max
                tracing:
                  events:
                    - vmscan:mm_vmscan_memcg_reclaim_begin
                    - vmscan:mm_vmscan_memcg_reclaim_end
                  buffer_per_cpu: 8M
                monitors:
                  interval: 500ms
                  sources: [psi, vmstat]
                workloads:
                  - name: dd
                    cgroup: kubepods
                    copies: per-child
                    timeout: 120s
                    dd: {if: /dev/zero, of: a.img, bs: 50M, count: 20}
                  - name: stress
                    copies: 2
                    command: [stress-ng, --vm, "1", 010]
                  - name: pipe
                    shell: "head -c 40M /dev/zero | tail"
                """);
        assertEquals("full", file.name());
        assertEquals(List.of(Variant.none()), file.variants());
        assertEquals(1, file.repeat());
        Plan plan = file.planFor(Variant.none());
        assertEquals("everything once", plan.description());
        assertEquals(List.of("local", "arm01"), plan.hosts());
        assertFalse(plan.dropCaches());
        SwapSpec swap = plan.swap().orElseThrow();
        assertEquals(Size.parse("1G"), swap.size());
        assertEquals(Optional.of("/var/tmp/lab-swap"), swap.path());
        assertEquals(Optional.of(10), swap.priority());
        assertEquals(new Location(file.source(), 6, 3), swap.at());
        assertEquals(List.of(new Sysctl("vm.min_free_kbytes", "65536", new Location(file.source(), 10, 23)),
                new Sysctl("net.ipv4.conf.eth0.rp_filter", "2", new Location(file.source(), 11, 33))), plan.sysctls());

        CgroupSpec kubepods = plan.cgroup("kubepods").orElseThrow();
        assertEquals(Optional.of(Limit.of(Size.parse("300M"))), kubepods.memoryLimit());
        assertEquals(Optional.of(60), kubepods.swappiness());
        assertEquals(Optional.of(Limit.of(new Size(0))), kubepods.swapMax());
        assertEquals(new Location(file.source(), 13, 5), kubepods.at());
        ChildrenSpec children = kubepods.children().orElseThrow();
        assertEquals(new ChildrenSpec(40, "pod", Optional.of(Limit.of(Size.parse("20M"))), Optional.of(30),
                Optional.of(Limit.MAX)), children);
        assertEquals("kubepods/pod01", kubepods.childPaths().get(0));
        assertEquals(Optional.of(Limit.MAX), plan.cgroup("kubepods/besteffort").orElseThrow().memoryLimit());

        TracingSpec tracing = plan.tracing().orElseThrow();
        assertEquals(List.of("vmscan:mm_vmscan_memcg_reclaim_begin", "vmscan:mm_vmscan_memcg_reclaim_end"),
                tracing.events().stream().map(TraceEvent::toString).toList());
        assertEquals("vmscan", tracing.events().get(0).system());
        assertEquals(new Location(file.source(), 27, 7), tracing.events().get(0).at());
        assertEquals(java.util.Optional.of(Size.parse("8M")), tracing.bufferPerCpu());
        assertEquals(new MonitorSpec(Duration.ofMillis(500), EnumSet.of(MonitorSource.PSI, MonitorSource.VMSTAT)),
                plan.monitors().orElseThrow());

        List<WorkloadSpec> w = plan.workloads();
        assertEquals(3, w.size());
        assertEquals(new WorkloadSpec("dd", new WorkloadCommand.Dd(Map.of("if", "/dev/zero", "of", "a.img",
                "bs", "50M", "count", "20")), Optional.of("kubepods"), new Copies.PerChild(), Duration.ofSeconds(120),
                new Location(file.source(), 34, 5)), w.get(0));
        assertEquals(List.of("if", "of", "bs", "count"),
                List.copyOf(((WorkloadCommand.Dd) w.get(0).command()).operands().keySet()));
        assertEquals(new WorkloadCommand.Argv(List.of("stress-ng", "--vm", "1", "010")), w.get(1).command());
        assertEquals(new Copies.Count(2), w.get(1).copies());
        assertEquals(new WorkloadCommand.Shell("head -c 40M /dev/zero | tail"), w.get(2).command());
    }

    @Test
    void appliesDefaults() throws Exception {
        Plan plan = load(dir, """
                name: defaults
                swap: {size: 2G}
                cgroups:
                  - path: a
                    children: {count: 3}
                tracing:
                  events: [vmscan:mm_vmscan_direct_reclaim_begin]
                monitors: {}
                workloads:
                  - name: w
                    shell: sleep 1
                """).resolved().get(0);
        assertEquals("", plan.description());
        assertEquals(List.of(), plan.hosts());
        assertTrue(plan.dropCaches());
        assertEquals(Optional.empty(), plan.swap().orElseThrow().path());
        assertEquals(List.of("a/pod01", "a/pod02", "a/pod03"), plan.cgroups().get(0).childPaths());
        assertEquals(java.util.Optional.empty(), plan.tracing().orElseThrow().bufferPerCpu(), "lab chooses");
        assertEquals(dev.reclaimlab.plan.TracingSpec.Capture.BINARY, plan.tracing().orElseThrow().capture());
        assertEquals(new MonitorSpec(Duration.ofSeconds(1), EnumSet.allOf(MonitorSource.class)),
                plan.monitors().orElseThrow());
        WorkloadSpec w = plan.workloads().get(0);
        assertEquals(new Copies.Count(1), w.copies());
        assertEquals(Duration.ofMinutes(10), w.timeout());
        assertEquals(Optional.empty(), w.cgroup());
        assertEquals(List.of(), plan.sysctls());
    }

    @Test
    void leavesOutWhatIsNotGiven() throws Exception {
        Plan plan = load(dir, "name: bare\nworkloads: [{name: w, command: [\"true\"]}]\n").resolved().get(0);
        assertEquals(Optional.empty(), plan.swap());
        assertEquals(Optional.empty(), plan.tracing());
        assertEquals(Optional.empty(), plan.monitors());
        assertEquals(List.of(), plan.cgroups());
    }

    @Test
    void unknownKeyWithSuggestion() {
        assertEquals(List.of(
                "plan.yaml:5:5: unknown key 'memory_limt' in cgroup (expected one of: path, memory_limit, swappiness, "
                        + "swap_max, children); did you mean memory_limit?",
                "plan.yaml:6:1: unknown key 'workload' in plan (expected one of: name, description, hosts, "
                        + "share_hosts, watchdog, drop_caches, boot, swap, sysctl, cgroups, tracing, monitors, profile, workloads, "
                        + "kmod, verdict, variants, params); did you mean workloads?",
                "plan.yaml:12:5: unknown key 'frobnicate' in workload (expected one of: name, cgroup, copies, "
                        + "timeout, dd, command, shell)"),
                problemsOf("""
                        name: t
                        cgroups:
                          - path: kubepods
                            # comment
                            memory_limt: 300M
                        workload:
                          - name: w
                            shell: x
                        workloads:
                          - name: w
                            shell: x
                            frobnicate: 1
                        """));
    }

    @Test
    void wrongTypes() {
        assertEquals(List.of(
                "plan.yaml:1:7: name: expected a name made of letters, digits, '.', '_' and '-', not starting with "
                        + "'.' or '-', got 12",
                "plan.yaml:2:14: drop_caches: expected true or false, got \"sometimes\"",
                "plan.yaml:3:7: swap: expected a map of swap settings (keys: size, path, priority), got \"1G\"",
                "plan.yaml:6:5: events: expected a list of \"system:event\" strings, got a map",
                "plan.yaml:8:13: interval: expected a duration like 30s, 2m or 500ms, got 5",
                "plan.yaml:10:5: workloads: expected a map of workload settings (keys: name, cgroup, copies, "
                        + "timeout, dd, command, shell), got \"dd\"",
                "plan.yaml:11:13: copies: expected a number of copies 1..10000, or per-child, got 0",
                "plan.yaml:13:14: command: expected a list with the program and its arguments, like "
                        + "[stress-ng, --vm, \"1\"], got \"stress-ng --vm 1\""),
                problemsOf("""
                        name: 12
                        drop_caches: sometimes
                        swap: 1G
                        tracing:
                          events:
                            vmscan: mm_vmscan_memcg_reclaim_begin
                        monitors:
                          interval: 5
                        workloads:
                          - dd
                          - copies: 0
                            name: w
                            command: stress-ng --vm 1
                        """));
    }

    @Test
    void missingRequiredKeysAtTheEnclosingMap() {
        assertEquals(List.of(
                "plan.yaml:1:1: missing required key 'name' in plan",
                "plan.yaml:1:1: missing required key 'workloads' in plan",
                "plan.yaml:2:3: missing required key 'size' in swap",
                "plan.yaml:5:5: missing required key 'path' in cgroup",
                "plan.yaml:7:7: missing required key 'count' in children"),
                problemsOf("""
                        swap:
                          path: /var/tmp/x
                        cgroups:
                          - path: a
                          - memory_limit: 1G
                            children:
                              prefix: p
                        """));
    }

    @Test
    void badSizes() {
        assertEquals(List.of(
                "plan.yaml:3:19: memory_limit: expected a size like 100M, 1G, 64Mi or 4096, or max, got \"300X\"",
                "plan.yaml:4:15: swap_max: expected a size like 100M, 1G, 64Mi or 4096, or max, got -1",
                "plan.yaml:6:21: memory_limit: expected a size like 100M, 1G, 64Mi or 4096, or max, got \"1.3K\"",
                "plan.yaml:8:14: size: expected a size like 100M, 1G, 64Mi or 4096, got 1e3",
                "plan.yaml:10:19: buffer_per_cpu: must be at least 4K, got 1K",
                "plan.yaml:11:12: events: expected a tracepoint \"system:event\" like "
                        + "vmscan:mm_vmscan_memcg_reclaim_begin (lower case, digits, '_'), got \"vmscan\""),
                problemsOf("""
                        cgroups:
                          - path: a
                            memory_limit: 300X
                            swap_max: -1
                            children:
                              memory_limit: 1.3K
                              count: 2
                        swap: {size: 1e3}
                        tracing:
                          buffer_per_cpu: 1K
                          events: [vmscan]
                        name: sizes
                        workloads: [{name: w, shell: x}]
                        """));
        assertEquals(List.of("plan.yaml:1:14: size: a swap file must be at least 1M, got 1K (a bare number counts "
                        + "bytes: write 512M, 1G, ...)"),
                problemsOf("swap: {size: 1024}\nname: s\nworkloads: [{name: w, shell: x}]\n"));
    }

    @Test
    void danglingCgroupReferenceAndPerChildWithoutChildren() {
        assertEquals(List.of(
                "plan.yaml:7:13: cgroup: no cgroup 'kubepod' is declared in cgroups; did you mean kubepods?",
                "plan.yaml:11:13: copies: per-child needs the workload's cgroup to have children, but cgroup "
                        + "'kubepods' has none",
                "plan.yaml:14:13: copies: per-child needs the workload's cgroup to have children, but this workload "
                        + "has no cgroup",
                "plan.yaml:17:13: cgroup: no cgroup 'other' is declared in cgroups (declared: kubepods)"),
                problemsOf("""
                        name: refs
                        cgroups:
                          - path: kubepods
                            memory_limit: 1G
                        workloads:
                          - name: a
                            cgroup: kubepod
                            copies: per-child
                            shell: x
                          - name: b
                            copies: per-child
                            cgroup: kubepods
                            shell: x
                          - copies: per-child
                            name: c
                            shell: x
                          - cgroup: other
                            name: d
                            shell: x
                        """));
    }

    @Test
    void cgroupPathRules() {
        assertEquals(List.of(
                "plan.yaml:5:11: path: duplicate cgroup path 'kubepods' (first declared at line 3)",
                "plan.yaml:6:11: path: parent cgroup 'x' of 'x/y' is not declared; declare it earlier in cgroups",
                "plan.yaml:7:11: path: parent cgroup 'late' must be declared before 'late/child' (it is declared "
                        + "at line 8)",
                "plan.yaml:9:11: path: expected a cgroup path relative to the run's cgroup (no leading '/'), "
                        + "got \"/abs\"",
                "plan.yaml:10:11: path: expected a cgroup path without '.' or '..', got \"a/../b\"",
                "plan.yaml:11:11: path: expected cgroup names that do not start with 'cgroup.' or 'memory.' "
                        + "(those are control files), got \"kubepods/memory.max\"",
                "plan.yaml:12:11: path: expected a relative cgroup path like kubepods/besteffort (names separated "
                        + "by one '/'), got \"kubepods//x\"",
                "plan.yaml:13:11: path: 'kubepods/pod02' is also a fan-out child of cgroup 'kubepods' "
                        + "(children at line 4)"),
                problemsOf("""
                        name: paths
                        cgroups:
                          - path: kubepods
                            children: {count: 2}
                          - path: kubepods
                          - path: x/y
                          - path: late/child
                          - path: late
                          - path: /abs
                          - path: a/../b
                          - path: kubepods/memory.max
                          - path: kubepods//x
                          - path: kubepods/pod02
                        workloads: [{name: w, shell: x}]
                        """));
    }

    @Test
    void exactlyOneCommand() {
        assertEquals(List.of(
                "plan.yaml:3:5: workload 'none' needs one of dd, command, shell",
                "plan.yaml:7:5: workload 'two' has both shell and dd; give exactly one of dd, command, shell",
                "plan.yaml:10:7: unknown dd operand 'bz' (expected one of: if, of, bs, ibs, obs, count, skip, seek, "
                        + "conv, oflag, iflag, status); did you mean bs?",
                "plan.yaml:12:14: command: expected a list with the program and its arguments, like "
                        + "[stress-ng, --vm, \"1\"], got an empty list",
                "plan.yaml:14:12: shell: expected a shell script (text), got \"  \"",
                "plan.yaml:16:9: dd: expected at least one operand (if, of, bs, ibs, obs, count, skip, seek, conv, "
                        + "oflag, iflag, status), got an empty map"),
                problemsOf("""
                        name: cmds
                        workloads:
                          - name: none
                            timeout: 1s
                          - name: two
                            shell: x
                            dd: {}
                          - name: bad-dd
                            dd:
                              bz: 1M
                          - name: empty
                            command: []
                          - name: blank
                            shell: "  "
                          - name: emptydd
                            dd: {}
                        """));
    }

    @Test
    void emptyFileAndNotAMap() {
        assertEquals(List.of("plan.yaml:1:1: the plan is empty; expected a map with at least name and workloads"),
                problemsOf(""));
        assertEquals(List.of("plan.yaml:1:1: the plan is empty; expected a map with at least name and workloads"),
                problemsOf("# just a comment\n"));
        assertEquals(List.of("plan.yaml:1:1: expected a plan: a map with keys name, description, hosts, share_hosts, "
                + "watchdog, drop_caches, "
                        + "boot, swap, sysctl, cgroups, tracing, monitors, profile, workloads, kmod, verdict, variants, params; "
                        + "got a list"),
                problemsOf("\n- name: x\n"));
    }

    @Test
    void syntaxErrorAndDuplicateKey() {
        assertEquals(List.of("plan.yaml:3:12: YAML syntax error: mapping values are not allowed here"),
                problemsOf("name: x\nworkloads:\n  - name: w: v\n"));
        assertEquals(List.of("plan.yaml:3:1: duplicate key 'name' (first given at line 1, column 1)"),
                problemsOf("name: x\nworkloads: [{name: w, shell: x}]\nname: y\n"));
    }

    @Test
    void reportsEveryProblemOfAFileTogether() {
        List<String> problems = problemsOf("""
                name: x
                name: y
                colour: blue
                cgroups:
                  - path: a
                    swappiness: 201
                workloads:
                  - name: w
                    cgroup: b
                    shell: x
                """);
        assertEquals(List.of(
                "plan.yaml:2:1: duplicate key 'name' (first given at line 1, column 1)",
                "plan.yaml:3:1: unknown key 'colour' in plan (expected one of: name, description, hosts, share_hosts, "
                        + "watchdog, drop_caches, "
                        + "boot, swap, sysctl, cgroups, tracing, monitors, profile, workloads, kmod, verdict, variants, "
                        + "params)",
                "plan.yaml:6:17: swappiness: expected an integer 0..200, got 201",
                "plan.yaml:9:13: cgroup: no cgroup 'b' is declared in cgroups (declared: a)"), problems);
    }

    @Test
    void otherRanges() {
        assertEquals(List.of(
                "plan.yaml:2:28: priority: expected an integer -1..32767, got -2",
                "plan.yaml:4:13: interval: must be at least 100ms, got 50ms",
                "plan.yaml:5:18: sources: 'cpu' is listed twice",
                "plan.yaml:5:23: sources: expected one of loadavg, cpu, psi, vmstat, memcg, got \"disk\"",
                "plan.yaml:6:12: hosts: 'a' is listed twice (first at line 6)",
                "plan.yaml:8:22: events: 'vmscan:x' is listed twice",
                "plan.yaml:11:14: timeout: must be a whole number of seconds, at least 1s, got 0ms",
                "plan.yaml:14:11: name: duplicate workload name 'w' (first used at line 10)"),
                problemsOf("""
                        name: r
                        swap: {size: 1G, priority: -2}
                        monitors:
                          interval: 50ms
                          sources: [cpu, cpu, disk]
                        hosts: [a, a]
                        tracing:
                          events: [vmscan:x, vmscan:x]
                        workloads:
                          - name: w
                            timeout: 0s
                            shell: x
                          - shell: y
                            name: w
                        """));
    }

    @Test
    void freeTextKeepsShellMetacharacters() throws Exception {
        String nasty = "a'b\"c $(rm -rf /) `id`; echo ${HOME} | x && y\nsecond line";
        Plan plan = load(dir, """
                name: meta
                description: 'a''b"c $(rm -rf /) `id`; echo $${HOME} | x && y'
                sysctl:
                  kernel.core_pattern: "|/bin/sh -c 'x; y' `z` $(w)"
                workloads:
                  - name: argv
                    command: ["sh", "-c", "a'b\\"c $(rm -rf /) `id`; echo $${HOME} | x && y\\nsecond line"]
                  - name: dd
                    dd: {if: "/dev/zero; rm -rf /", of: "$(touch x)", conv: "`id`"}
                  - name: sh
                    shell: |
                      a'b"c $(rm -rf /) `id`; echo $${HOME} | x && y
                      second line
                """).resolved().get(0);
        assertEquals("a'b\"c $(rm -rf /) `id`; echo ${HOME} | x && y", plan.description());
        assertEquals("|/bin/sh -c 'x; y' `z` $(w)", plan.sysctls().get(0).value());
        assertEquals(new WorkloadCommand.Argv(List.of("sh", "-c", nasty)), plan.workloads().get(0).command());
        assertEquals(new WorkloadCommand.Dd(Map.of("if", "/dev/zero; rm -rf /", "of", "$(touch x)", "conv", "`id`")),
                plan.workloads().get(1).command());
        assertEquals(new WorkloadCommand.Shell(nasty + "\n"), plan.workloads().get(2).command());
    }

    @Test
    void restrictedValuesRejectShellMetacharacters() {
        assertEquals(List.of(
                "plan.yaml:1:7: name: expected a name made of letters, digits, '.', '_' and '-', not starting with "
                        + "'.' or '-', got \"x; rm -rf /\"",
                "plan.yaml:2:9: hosts: expected a host name made of letters, digits, '.', '_' and '-', not starting "
                        + "with '.' or '-', got \"$(id)\"",
                "plan.yaml:3:24: path: expected a file path without line breaks or NUL characters, got \"/tmp/a\\nb\"",
                "plan.yaml:5:3: sysctl: invalid name 'vm.swappiness;reboot' (expected a dotted name like "
                        + "vm.swappiness: lower case letters, digits, '_' and '-' between dots)",
                "plan.yaml:6:3: sysctl: invalid name 'kernel/../../etc' (expected a dotted name like vm.swappiness: "
                        + "lower case letters, digits, '_' and '-' between dots)",
                "plan.yaml:8:11: path: expected a cgroup path of names made of letters, digits, '.', '_' and '-', "
                        + "got \"a`id`\"",
                "plan.yaml:9:44: prefix: expected a name prefix made of letters, digits, '_' and '-', got \"p'\"",
                "plan.yaml:11:11: name: expected a name made of letters, digits, '_' and '-', not starting with '-', "
                        + "got \"w $(x)\"",
                "plan.yaml:13:11: name: expected a name made of letters, digits, '_' and '-', not starting with '-', "
                        + "got \"-rf\""),
                problemsOf("""
                        name: x; rm -rf /
                        hosts: [$(id)]
                        swap: {size: 1G, path: "/tmp/a\\nb"}
                        sysctl:
                          vm.swappiness;reboot: 1
                          kernel/../../etc: 1
                        cgroups:
                          - path: a`id`
                          - {path: b, children: {count: 1, prefix: p'}}
                        workloads:
                          - name: w $(x)
                            shell: x
                          - name: -rf
                            shell: x
                        """));
    }

    /** Issue 11: plan values that would run on hosts or fill memory get located errors instead. */
    @Test
    void ddWritesOnlyInsideTheWorkloadsFolder() {
        assertEquals(List.of(
                "plan.yaml:3:49: of: must stay in the workload's own folder: a relative path without '..' parts (it "
                        + "is removed afterwards), or /dev/null; got \"../../etc/x\"",
                "plan.yaml:4:49: of: must stay in the workload's own folder: a relative path without '..' parts (it "
                        + "is removed afterwards), or /dev/null; got \"/var/tmp/x\""),
                problemsOf("""
                        name: t
                        workloads:
                          - {name: a, dd: {if: /dev/zero, count: 1, of: ../../etc/x}}
                          - {name: b, dd: {if: /dev/zero, count: 1, of: /var/tmp/x}}
                          - {name: c, dd: {if: /dev/zero, count: 1, of: /dev/null}}
                          - {name: d, dd: {if: /dev/zero, count: 1, of: sub/a..b.img}}
                        """));
    }

    @Test
    void aWorkloadTimeoutIsWholeSecondsBecauseTheHostsTimeoutCountsThem() {
        assertEquals(List.of("plan.yaml:3:47: timeout: must be a whole number of seconds, at least 1s, got 500ms"),
                problemsOf("""
                        name: t
                        workloads:
                          - {name: a, command: [sleep, "1"], timeout: 500ms}
                          - {name: b, command: [sleep, "1"], timeout: 2m}
                        """));
    }

    @Test
    void plansTooLargeToRunAreRefusedWithTheirPlaceNotWithOutOfMemory() {
        StringBuilder huge = new StringBuilder("name: t\ncgroups:\n");
        for (int i = 0; i < 300; i++) {
            huge.append("  - {path: c").append(i).append(", children: {count: 10000}}\n");
        }
        huge.append("workloads: [{name: a, command: [true]}]\n");
        List<String> children = problemsOf(huge.toString());
        assertEquals(1, children.size(), children.toString());
        assertTrue(children.get(0).startsWith("plan.yaml:4:")
                && children.get(0).contains("more than 10000 child cgroups in all"), children.get(0));

        assertEquals(List.of("plan.yaml:4:11: repeat: expected an integer 1..1000, got 1000000"), problemsOf("""
                name: t
                workloads: [{name: a, command: [echo, "${x}"]}]
                variants:
                  repeat: 1000000
                  matrix: {x: [a, b]}
                """));
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < 100; i++) {
            values.append(i == 0 ? "" : ", ").append(i);
        }
        assertEquals(List.of("plan.yaml:4:11: variants: 100 variants x 101 repeats make more than 10000 "
                + "iterations; use fewer values or repeats"), problemsOf("""
                name: t
                workloads: [{name: a, command: [echo, "${x}"]}]
                variants:
                  repeat: 101
                  matrix: {x: %s]}
                """.formatted(values)));
    }
}
