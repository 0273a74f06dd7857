package dev.reclaimlab.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.reclaimlab.testing.JsonSchemas;
import dev.reclaimlab.yaml.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The published JSON Schema and the loader must agree: every example plan and playbook passes both, and every plan
 * in {@link #badPlans()} is refused by both. The schema cannot see everything (cross references, parameters,
 * variants), so the loader is stricter there; it must never be looser.
 */
class PlanSchemaTest {
    private static final Path SCHEMA_FILE = Path.of("src/main/resources/schema/plan.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final JsonSchema SCHEMA = loadSchema("/schema/plan.schema.json");

    @TempDir
    Path dir;

    static JsonSchema loadSchema(String resource) {
        try (InputStream in = PlanSchemaTest.class.getResourceAsStream(resource)) {
            assertTrue(in != null, resource + " is not on the class path");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Set<ValidationMessage> validate(JsonSchema schema, String yaml) throws IOException {
        JsonNode node = YAML.readTree(yaml);
        return schema.validate(node == null ? YAML.nullNode() : node);
    }

    /** The example plans of the tests and every playbook of the project. */
    static Stream<Path> examples() throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/plans"))) {
            s.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(files::add);
        }
        String root = System.getenv("LAB_ROOT");
        Path playbooks = Path.of(root == null ? ".." : root, "playbooks");
        if (Files.isDirectory(playbooks)) {
            try (Stream<Path> s = Files.list(playbooks)) {
                s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                        .forEach(files::add);
            }
        }
        assertTrue(files.size() >= 2, "expected the example plans in src/test/resources/plans");
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void examplesPassTheSchemaAndTheLoader(Path file) throws IOException {
        Set<ValidationMessage> errors = validate(SCHEMA, Files.readString(file));
        assertTrue(errors.isEmpty(), file + " does not match the schema: " + errors);
        try {
            PlanFile plan = PlanLoader.load(file);
            assertFalse(plan.resolved().isEmpty());
        } catch (ConfigException e) {
            fail(file + " does not load:\n" + e.getMessage());
        }
    }

    private static final Pattern SCHEMA_COMMENT = Pattern.compile("#\\s*yaml-language-server:\\s*\\$schema=(\\S+)");

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void editorSchemaCommentsPointAtTheSchema(Path file) throws IOException {
        Matcher m = SCHEMA_COMMENT.matcher(Files.readString(file));
        if (m.find() && !m.group(1).startsWith("http")) {
            Path target = file.getParent().resolve(m.group(1)).normalize();
            assertEquals(SCHEMA_FILE.toAbsolutePath().normalize(), target.toAbsolutePath().normalize(),
                    file + ": the $schema comment points elsewhere");
        }
    }

    static Stream<Arguments> badPlans() {
        String ok = "workloads: [{name: w, shell: x}]\n";
        String named = "name: t\n" + ok;
        return Stream.of(
                Arguments.of("unknown top key", named + "colour: blue\n", "unknown key 'colour' in plan"),
                Arguments.of("no name", ok, "missing required key 'name' in plan"),
                Arguments.of("no workloads", "name: t\n", "missing required key 'workloads' in plan"),
                Arguments.of("empty workloads", "name: t\nworkloads: []\n", "workloads: expected a list of workloads"),
                Arguments.of("workloads a map", "name: t\nworkloads: {w: x}\n", "workloads: expected a list"),
                Arguments.of("name with space", "name: a b\n" + ok, "name: expected a name"),
                Arguments.of("name starting with a dot", "name: .hidden\n" + ok, "name: expected a name"),
                Arguments.of("name a number", "name: 7\n" + ok, "name: expected a name"),
                Arguments.of("name with a parameter", "name: t-${x}\n" + ok + "params: {x: 1}\n", "name: expected"),
                Arguments.of("host with a semicolon", named + "hosts: [\"a;b\"]\n", "hosts: expected a host name"),
                Arguments.of("hosts not a list", named + "hosts: local\n", "hosts: expected a list of host names"),
                Arguments.of("host twice", named + "hosts: [a, a]\n", "hosts: 'a' is listed twice"),
                Arguments.of("description a list", named + "description: [a]\n", "description: expected text"),
                Arguments.of("drop_caches text", named + "drop_caches: please\n", "drop_caches: expected true or false"),
                Arguments.of("swap without size", named + "swap: {path: /x}\n", "missing required key 'size' in swap"),
                Arguments.of("swap size unit", named + "swap: {size: 10X}\n", "size: expected a size like"),
                Arguments.of("swap size hex text", named + "swap: {size: \"0x10\"}\n", "size: expected a size like"),
                Arguments.of("swap size a float", named + "swap: {size: 1.5}\n", "size: expected a size like"),
                Arguments.of("swap size negative", named + "swap: {size: -1}\n", "size: expected a size like"),
                Arguments.of("swap path relative", named + "swap: {size: 1G, path: swapfile}\n",
                        "path: expected an absolute file path"),
                Arguments.of("swap path dotdot", named + "swap: {size: 1G, path: /var/../etc/x}\n",
                        "path: expected a file path without '.' or '..' parts"),
                Arguments.of("swap path newline", named + "swap: {size: 1G, path: \"/tmp/a\\nb\"}\n",
                        "path: expected a file path without line breaks"),
                Arguments.of("swap priority", named + "swap: {size: 1G, priority: -2}\n",
                        "priority: expected an integer -1..32767"),
                Arguments.of("swap unknown key", named + "swap: {size: 1G, prio: 1}\n", "unknown key 'prio' in swap"),
                Arguments.of("sysctl slash", named + "sysctl: {vm/swappiness: 1}\n", "sysctl: invalid name"),
                Arguments.of("sysctl without dot", named + "sysctl: {swappiness: 1}\n", "sysctl: invalid name"),
                Arguments.of("sysctl upper case", named + "sysctl: {VM.swappiness: 1}\n", "sysctl: invalid name"),
                Arguments.of("sysctl boolean", named + "sysctl: {vm.x: true}\n", "vm.x: expected a number or text"),
                Arguments.of("sysctl a list", named + "sysctl: [vm.swappiness]\n", "sysctl: expected a map"),
                Arguments.of("cgroups empty", named + "cgroups: []\n", "cgroups: expected a list of cgroups"),
                Arguments.of("cgroup a string", named + "cgroups: [kubepods]\n", "cgroups: expected a map"),
                Arguments.of("cgroup without path", named + "cgroups: [{memory_limit: 1G}]\n",
                        "missing required key 'path' in cgroup"),
                Arguments.of("cgroup absolute", named + "cgroups: [{path: /kubepods}]\n", "no leading '/'"),
                Arguments.of("cgroup dotdot", named + "cgroups: [{path: a/..}]\n", "without '.' or '..'"),
                Arguments.of("cgroup dot", named + "cgroups: [{path: .}]\n", "without '.' or '..'"),
                Arguments.of("cgroup control file", named + "cgroups: [{path: cgroup.procs}]\n",
                        "do not start with 'cgroup.' or 'memory.'"),
                Arguments.of("cgroup memory file", named + "cgroups: [{path: a/memory.high}]\n",
                        "do not start with 'cgroup.' or 'memory.'"),
                Arguments.of("cgroup space", named + "cgroups: [{path: \"a b\"}]\n", "path: expected a cgroup path"),
                Arguments.of("cgroup empty segment", named + "cgroups: [{path: \"a//b\"}]\n", "path: expected"),
                Arguments.of("cgroup trailing slash", named + "cgroups: [{path: \"a/\"}]\n", "path: expected"),
                Arguments.of("cgroup misspelt key", named + "cgroups: [{path: a, memory_limt: 1G}]\n",
                        "did you mean memory_limit?"),
                Arguments.of("swappiness too high", named + "cgroups: [{path: a, swappiness: 201}]\n",
                        "swappiness: expected an integer 0..200"),
                Arguments.of("swappiness text", named + "cgroups: [{path: a, swappiness: \"60\"}]\n",
                        "swappiness: expected an integer 0..200"),
                Arguments.of("limit words", named + "cgroups: [{path: a, memory_limit: lots}]\n",
                        "memory_limit: expected a size like"),
                Arguments.of("limit MAX", named + "cgroups: [{path: a, swap_max: MAX}]\n", "swap_max: expected"),
                Arguments.of("children count 0", named + "cgroups: [{path: a, children: {count: 0}}]\n",
                        "count: expected an integer 1..10000"),
                Arguments.of("children count huge", named + "cgroups: [{path: a, children: {count: 10001}}]\n",
                        "count: expected an integer 1..10000"),
                Arguments.of("children without count", named + "cgroups: [{path: a, children: {prefix: p}}]\n",
                        "missing required key 'count' in children"),
                Arguments.of("children prefix dot", named + "cgroups: [{path: a, children: {count: 1, prefix: p.x}}]\n",
                        "prefix: expected a name prefix"),
                Arguments.of("children unknown key", named + "cgroups: [{path: a, children: {count: 1, size: 1}}]\n",
                        "unknown key 'size' in children"),
                Arguments.of("tracing without events", named + "tracing: {buffer_per_cpu: 1M}\n",
                        "missing required key 'events' in tracing"),
                Arguments.of("tracing events empty", named + "tracing: {events: []}\n",
                        "events: expected a list of \"system:event\" strings, got an empty list"),
                Arguments.of("tracing events a map", named + "tracing: {events: {vmscan: x}}\n",
                        "events: expected a list of \"system:event\" strings, got a map"),
                Arguments.of("tracing event without system", named + "tracing: {events: [mm_vmscan]}\n",
                        "events: expected a tracepoint"),
                Arguments.of("tracing event upper case", named + "tracing: {events: [\"vmscan:Foo\"]}\n",
                        "events: expected a tracepoint"),
                Arguments.of("tracing event twice", named + "tracing: {events: [\"a:b\", \"a:b\"]}\n",
                        "is listed twice"),
                Arguments.of("trace buffer spaced", named + "tracing: {events: [\"a:b\"], buffer_per_cpu: 16 M}\n",
                        "buffer_per_cpu: expected a size"),
                Arguments.of("monitor interval bare", named + "monitors: {interval: 5}\n",
                        "interval: expected a duration like 30s, 2m or 500ms"),
                Arguments.of("monitor interval days", named + "monitors: {interval: 1d}\n", "interval: expected a duration"),
                Arguments.of("monitor source unknown", named + "monitors: {sources: [disk]}\n",
                        "sources: expected one of loadavg, cpu, psi, vmstat, memcg"),
                Arguments.of("monitor source twice", named + "monitors: {sources: [cpu, cpu]}\n", "is listed twice"),
                Arguments.of("monitor sources empty", named + "monitors: {sources: []}\n", "sources: expected a list"),
                Arguments.of("monitors unknown key", named + "monitors: {every: 1s}\n", "unknown key 'every' in monitors"),
                Arguments.of("verdict unknown key", named + "verdict: {storms: []}\n", "unknown key 'storms' in verdict"),
                Arguments.of("storm without a bound", named + "verdict: {storm: [{metric: memcg_reclaim.count}]}\n",
                        "storm condition needs one of above, below"),
                Arguments.of("storm with both bounds",
                        named + "verdict: {storm: [{metric: memcg_reclaim.count, above: 1, below: 9}]}\n",
                        "storm condition has both above and below"),
                Arguments.of("storm bound not a number",
                        named + "verdict: {storm: [{metric: memcg_reclaim.count, above: lots}]}\n",
                        "above: expected a number like 1000 or 2.5"),
                Arguments.of("bad metric path", named + "verdict: {storm: [{metric: 'Memcg Reclaim', above: 1}]}\n",
                        "metric: expected a metric path like memcg_reclaim.latency_us.p99"),
                Arguments.of("regression percent negative",
                        named + "verdict: {regression: [{metric: memcg_reclaim.count, increase: -5%}]}\n",
                        "increase: expected a percentage like 20%"),
                Arguments.of("regression without direction",
                        named + "verdict: {regression: [{metric: memcg_reclaim.count}]}\n",
                        "regression limit needs one of increase, decrease"),
                Arguments.of("workload without command", "name: t\nworkloads: [{name: w}]\n",
                        "workload 'w' needs one of dd, command, shell"),
                Arguments.of("workload with two commands", "name: t\nworkloads: [{name: w, shell: x, command: [y]}]\n",
                        "workload 'w' has both shell and command"),
                Arguments.of("workload without name", "name: t\nworkloads: [{shell: x}]\n",
                        "missing required key 'name' in workload"),
                Arguments.of("workload name space", "name: t\nworkloads: [{name: a b, shell: x}]\n",
                        "name: expected a name"),
                Arguments.of("workload name dash", "name: t\nworkloads: [{name: -w, shell: x}]\n",
                        "name: expected a name"),
                Arguments.of("workload unknown key", "name: t\nworkloads: [{name: w, shell: x, user: root}]\n",
                        "unknown key 'user' in workload"),
                Arguments.of("copies zero", "name: t\nworkloads: [{name: w, shell: x, copies: 0}]\n",
                        "copies: expected a number of copies"),
                Arguments.of("copies words", "name: t\nworkloads: [{name: w, shell: x, copies: each}]\n",
                        "copies: expected a number of copies"),
                Arguments.of("timeout bare", "name: t\nworkloads: [{name: w, shell: x, timeout: 30}]\n",
                        "timeout: expected a duration"),
                Arguments.of("dd unknown operand", "name: t\nworkloads: [{name: w, dd: {bz: 1M}}]\n",
                        "unknown dd operand 'bz'"),
                Arguments.of("dd empty", "name: t\nworkloads: [{name: w, dd: {}}]\n", "dd: expected at least one"),
                Arguments.of("dd a string", "name: t\nworkloads: [{name: w, dd: if=/dev/zero}]\n", "dd: expected a map"),
                Arguments.of("dd null operand", "name: t\nworkloads: [{name: w, dd: {if: }}]\n", "if: expected a value"),
                Arguments.of("command empty", "name: t\nworkloads: [{name: w, command: []}]\n",
                        "command: expected a list"),
                Arguments.of("command a string", "name: t\nworkloads: [{name: w, command: ls -l}]\n",
                        "command: expected a list"),
                Arguments.of("command null item", "name: t\nworkloads: [{name: w, command: [echo, ~]}]\n",
                        "command: expected an argument"),
                Arguments.of("command nested list", "name: t\nworkloads: [{name: w, command: [echo, [a]]}]\n",
                        "command: expected an argument"),
                Arguments.of("shell blank", "name: t\nworkloads: [{name: w, shell: \" \"}]\n",
                        "shell: expected a shell script"),
                Arguments.of("shell a list", "name: t\nworkloads: [{name: w, shell: [a, b]}]\n",
                        "shell: expected a shell script"),
                Arguments.of("variants unknown key", named + "variants: {repeats: 2}\n",
                        "unknown key 'repeats' in variants"),
                Arguments.of("repeat zero", named + "variants: {repeat: 0}\n", "repeat: expected an integer 1..1000"),
                Arguments.of("repeat text", named + "variants: {repeat: twice}\n", "repeat: expected an integer 1..1000"),
                Arguments.of("matrix empty", named + "variants: {matrix: {}}\n", "matrix: expected at least one"),
                Arguments.of("matrix a list", named + "variants: {matrix: [a]}\n", "matrix: expected a map"),
                Arguments.of("matrix parameter name", "name: t\nworkloads: [{name: w, shell: \"${Pods}\"}]\n"
                        + "variants: {matrix: {Pods: [1]}}\n", "invalid parameter name 'Pods'"),
                Arguments.of("matrix values empty", named + "variants: {matrix: {a: []}}\n",
                        "a: expected a list of values"),
                Arguments.of("matrix value single", named + "variants: {matrix: {a: 1}}\n",
                        "a: expected a list of values"),
                Arguments.of("matrix value twice", named + "variants: {matrix: {a: [1, 1]}}\n", "is listed twice"),
                Arguments.of("matrix value a map", named + "variants: {matrix: {a: [{x: 1}]}}\n", "a: expected a value"),
                Arguments.of("params a list", named + "params: [a]\n", "params: expected a map"),
                Arguments.of("params value a list", named + "params: {a: [1]}\n", "a: expected a value"),
                Arguments.of("params name", named + "params: {A: 1}\n", "invalid parameter name 'A'"),
                Arguments.of("not a map", "[name, t]\n", "expected a plan: a map"),
                Arguments.of("empty", "", "the plan is empty"));
    }

    /** A plan with a fan-out cgroup k (children k/pod01, k/pod02) for kmod.stress to point at. */
    private static final String KMOD_BASE = "name: t\ncgroups: [{path: k, children: {count: 2}}]\n"
            + "workloads: [{name: w, shell: x}]\n";
    private static final String PATCH = "{symbol: shrink_slab, offset: 0, expect: [nop], replace: [ret]}";

    private static String stress(String settings) {
        return KMOD_BASE + "kmod: {stress: {" + settings + "}}\n";
    }

    private static String patch(String settings) {
        return KMOD_BASE + "kmod: {patch: {" + settings + "}}\n";
    }

    private static String cpus(int count) {
        return java.util.stream.IntStream.range(0, count).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    static Stream<Arguments> kmodBadPlans() {
        String point = "symbol: shrink_slab, offset: 0, expect: [nop], replace: [ret]";
        return Stream.of(
                Arguments.of("kmod unknown key", KMOD_BASE + "kmod: {stres: {}}\n",
                        "unknown key 'stres' in kmod (expected one of: stress, patch); did you mean stress?"),
                Arguments.of("kmod a list", KMOD_BASE + "kmod: [stress]\n", "kmod: expected a map of kmod settings"),
                Arguments.of("kmod nothing", KMOD_BASE + "kmod:\n", "kmod: expected a map of kmod settings"),
                Arguments.of("stress a string", KMOD_BASE + "kmod: {stress: k}\n", "stress: expected a map"),
                Arguments.of("stress without cgroup", stress("cpus: [0]"), "missing required key 'cgroup' in stress"),
                Arguments.of("stress without cpus", stress("cgroup: k"), "missing required key 'cpus' in stress"),
                Arguments.of("stress without limit", stress("cgroup: k, cpus: [0], loops: 0"),
                        "loops: 0 (no limit) needs a duration"),
                Arguments.of("stress cgroup absolute", stress("cgroup: /k, cpus: [0]"), "no cgroup '/k' is declared"),
                Arguments.of("stress cgroup a number", stress("cgroup: 1, cpus: [0]"),
                        "cgroup: expected the path of a cgroup declared in cgroups, got 1"),
                Arguments.of("stress misspelt key", stress("cgroup: k, cpus: [0], nr_page: 1"),
                        "did you mean nr_pages?"),
                Arguments.of("cpus empty", stress("cgroup: k, cpus: []"),
                        "cpus: expected a list of CPU numbers like [0, 1], got an empty list"),
                Arguments.of("cpus a number", stress("cgroup: k, cpus: 1"), "cpus: expected a list of CPU numbers"),
                Arguments.of("cpu too high", stress("cgroup: k, cpus: [4096]"),
                        "cpus: expected an integer 0..4095, got 4096"),
                Arguments.of("cpu negative", stress("cgroup: k, cpus: [-1]"), "cpus: expected an integer 0..4095"),
                Arguments.of("cpu a range", stress("cgroup: k, cpus: [0-3]"), "cpus: expected an integer 0..4095"),
                Arguments.of("cpu twice", stress("cgroup: k, cpus: [1, 2, 1]"), "cpus: 1 is listed twice"),
                Arguments.of("too many cpus", stress("cgroup: k, cpus: " + cpus(65)),
                        "cpus: expected at most 64 CPUs, got 65"),
                Arguments.of("loops negative", stress("cgroup: k, cpus: [0], loops: -1"),
                        "loops: expected an integer >= 0"),
                Arguments.of("loops too many", stress("cgroup: k, cpus: [0], loops: 2147483648"),
                        "loops: expected an integer >= 0"),
                Arguments.of("nodes zero", stress("cgroup: k, cpus: [0], nodes: 0"),
                        "nodes: expected an integer 1..1000000"),
                Arguments.of("nodes too many", stress("cgroup: k, cpus: [0], nodes: 1000001"),
                        "nodes: expected an integer 1..1000000"),
                Arguments.of("nr_pages zero", stress("cgroup: k, cpus: [0], nr_pages: 0"),
                        "nr_pages: expected an integer 1..1048576"),
                Arguments.of("nr_pages too many", stress("cgroup: k, cpus: [0], nr_pages: 1048577"),
                        "nr_pages: expected an integer 1..1048576"),
                Arguments.of("nr_pages a size", stress("cgroup: k, cpus: [0], nr_pages: 4M"),
                        "nr_pages: expected an integer 1..1048576"),
                Arguments.of("gfp lower case", stress("cgroup: k, cpus: [0], gfp: gfp_kernel"),
                        "gfp: expected a gfp mask like GFP_KERNEL"),
                Arguments.of("gfp trailing bar", stress("cgroup: k, cpus: [0], gfp: \"GFP_KERNEL |\""),
                        "gfp: expected a gfp mask"),
                Arguments.of("gfp C expression", stress("cgroup: k, cpus: [0], gfp: \"GFP_KERNEL & ~__GFP_IO\""),
                        "gfp: expected a gfp mask"),
                Arguments.of("gfp three underscores", stress("cgroup: k, cpus: [0], gfp: ___GFP_IO"),
                        "gfp: expected a gfp mask"),
                Arguments.of("gfp tab", stress("cgroup: k, cpus: [0], gfp: \"GFP_KERNEL\\t| __GFP_NOWARN\""),
                        "gfp: expected a gfp mask"),
                Arguments.of("gfp C injection", stress("cgroup: k, cpus: [0], gfp: \"GFP_KERNEL); evil(\""),
                        "gfp: expected a gfp mask"),
                Arguments.of("gfp hex too long", stress("cgroup: k, cpus: [0], gfp: 0x123456789"),
                        "gfp: expected a gfp mask"),
                Arguments.of("gfp a list", stress("cgroup: k, cpus: [0], gfp: [GFP_KERNEL]"),
                        "gfp: expected a gfp mask"),
                Arguments.of("duration bare", stress("cgroup: k, cpus: [0], duration: 30"),
                        "duration: expected a duration like 30s, 2m or 500ms, got 30"),
                Arguments.of("patch a string", KMOD_BASE + "kmod: {patch: shrink_slab}\n",
                        "patch: expected a map of patch settings"),
                Arguments.of("patch empty", KMOD_BASE + "kmod: {patch: {}}\n", "missing required key 'symbol' in patch"),
                Arguments.of("patch without offset", patch("symbol: s, expect: [nop], replace: [ret]"),
                        "missing required key 'offset' in patch"),
                Arguments.of("patch without replace", patch("symbol: s, offset: 0, expect: [nop]"),
                        "missing required key 'replace' in patch"),
                Arguments.of("patch unknown key", patch(point + ", size: 4"), "unknown key 'size' in patch"),
                Arguments.of("symbol with a digit first", patch("symbol: 1abc, offset: 0, expect: [nop], replace: [ret]"),
                        "symbol: expected a kernel symbol like shrink_slab"),
                Arguments.of("symbol with an offset", patch("symbol: shrink_slab+0x10, offset: 0, expect: [nop], "
                        + "replace: [ret]"), "symbol: expected a kernel symbol"),
                Arguments.of("symbol too long", patch("symbol: " + "s".repeat(129)
                        + ", offset: 0, expect: [nop], replace: [ret]"), "symbol: expected a kernel symbol"),
                Arguments.of("offset unaligned", patch("symbol: s, offset: 2, expect: [nop], replace: [ret]"),
                        "offset: must be a multiple of 4 (AArch64 instructions are 4 bytes), got 2"),
                Arguments.of("offset unaligned hex text", patch("symbol: s, offset: \"0x152\", expect: [nop], "
                        + "replace: [ret]"), "offset: must be a multiple of 4"),
                Arguments.of("offset 1M", patch("symbol: s, offset: 0x100000, expect: [nop], replace: [ret]"),
                        "offset: expected a byte offset 0..1048572"),
                Arguments.of("offset 1M hex text", patch("symbol: s, offset: \"0x100000\", expect: [nop], "
                        + "replace: [ret]"), "offset: expected a byte offset 0..1048572"),
                Arguments.of("offset negative", patch("symbol: s, offset: -4, expect: [nop], replace: [ret]"),
                        "offset: expected a byte offset"),
                Arguments.of("offset decimal text", patch("symbol: s, offset: \"336\", expect: [nop], replace: [ret]"),
                        "offset: expected a byte offset"),
                Arguments.of("offset with symbol", patch("symbol: s, offset: s+4, expect: [nop], replace: [ret]"),
                        "offset: expected a byte offset"),
                Arguments.of("expect empty", patch("symbol: s, offset: 0, expect: [], replace: [ret]"),
                        "expect: expected a list of instructions like [\"mov x0, #0\", ret] or hex words like "
                                + "[0xd2800000], got an empty list"),
                Arguments.of("expect a string", patch("symbol: s, offset: 0, expect: nop, replace: [ret]"),
                        "expect: expected a list of instructions"),
                Arguments.of("replace too long", patch("symbol: s, offset: 0, expect: [nop], replace: "
                        + "[ret, ret, ret, ret, ret, ret, ret, ret, ret, ret, ret, ret, ret, ret, ret, ret, ret]"),
                        "replace: expected at most 16 instructions, got 17"),
                Arguments.of("instruction blank", patch("symbol: s, offset: 0, expect: [nop], replace: [\" \"]"),
                        "replace: expected an instruction, got \" \""),
                Arguments.of("instruction a map", patch("symbol: s, offset: 0, expect: [{mov: x0}], replace: [ret]"),
                        "expect: expected an instruction like \"mov x0, #0\" or 8 hex digits"),
                Arguments.of("instruction negative", patch("symbol: s, offset: 0, expect: [-1], replace: [ret]"),
                        "expect: expected one of nop, ret"),
                Arguments.of("instruction hex too big", patch("symbol: s, offset: 0, expect: [0x1d2800000], "
                        + "replace: [ret]"), "expect: expected exactly 8 hex digits"),
                Arguments.of("points next to symbol", patch("symbol: s, points: {A: " + PATCH + "}, apply: A"),
                        "patch: symbol cannot be given next to points; give symbol, offset, expect, replace inside "
                                + "each point"),
                Arguments.of("apply without points", patch(point + ", apply: A"),
                        "apply: chooses one of points, but this patch has no points"),
                Arguments.of("points without apply", patch("points: {A: " + PATCH + "}"),
                        "missing required key 'apply' in patch"),
                Arguments.of("points empty", patch("points: {}, apply: none"),
                        "points: expected at least one patch point, got an empty map"),
                Arguments.of("points a list", patch("points: [" + PATCH + "], apply: none"),
                        "points: expected a map of patch point names to patches"),
                Arguments.of("point named none", patch("points: {none: " + PATCH + "}, apply: none"),
                        "points: invalid point name 'none' (expected 1 to 32 letters, digits, '_' and '-'; none is "
                                + "taken: apply: none means no patch)"),
                Arguments.of("point name with a dot", patch("points: {a.b: " + PATCH + "}, apply: none"),
                        "points: invalid point name 'a.b'"),
                Arguments.of("point name too long", patch("points: {" + "p".repeat(33) + ": " + PATCH
                        + "}, apply: none"), "points: invalid point name"),
                Arguments.of("point without symbol", patch("points: {A: {offset: 0, expect: [nop], replace: [ret]}}, "
                        + "apply: A"), "missing required key 'symbol' in patch point"),
                Arguments.of("point with apply", patch("points: {A: {" + point + ", apply: A}}, apply: A"),
                        "unknown key 'apply' in patch point"),
                Arguments.of("point a string", patch("points: {A: shrink_slab}, apply: A"),
                        "A: expected a map of patch point settings"),
                Arguments.of("apply a list", patch("points: {A: " + PATCH + "}, apply: [A]"),
                        "apply: expected the name of one of points, or none, got a list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"badPlans", "kmodBadPlans"})
    void badPlansAreRefusedByTheSchemaAndTheLoader(String what, String yaml, String loaderSays) throws IOException {
        assertFalse(validate(SCHEMA, yaml).isEmpty(), what + ": the schema accepts it");
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> PlanLoader.load(file), what);
        assertTrue(e.getMessage().contains(loaderSays), what + ": the loader says\n" + e.getMessage());
    }

    /**
     * What only the loader can tell: references, variants, numbers the schema has no words for. Listed so that a
     * gap between the two is a decision, not an accident.
     */
    static Stream<Arguments> loaderOnly() {
        String ok = "workloads: [{name: w, shell: x}]\n";
        String named = "name: t\n" + ok;
        return Stream.of(
                Arguments.of("size not whole bytes", named + "swap: {size: 1.3K}\n", "size: expected a size like"),
                Arguments.of("size in exponent notation (JSON Schema integers include 1e9)",
                        named + "swap: {size: 1e9}\n", "size: expected a size like"),
                Arguments.of("tiny swap", named + "swap: {size: 4096}\n", "a swap file must be at least 1M"),
                Arguments.of("tiny trace buffer", named + "tracing: {events: [\"a:b\"], buffer_per_cpu: 1K}\n",
                        "must be at least 4K"),
                Arguments.of("fast monitor", named + "monitors: {interval: 10ms}\n", "must be at least 100ms"),
                Arguments.of("zero timeout", "name: t\nworkloads: [{name: w, shell: x, timeout: 0s}]\n",
                        "must be a whole number of seconds, at least 1s"),
                Arguments.of("dangling cgroup", "name: t\nworkloads: [{name: w, shell: x, cgroup: k}]\n",
                        "no cgroup 'k' is declared"),
                Arguments.of("per-child without children", "name: t\ncgroups: [{path: k}]\n"
                        + "workloads: [{name: w, shell: x, cgroup: k, copies: per-child}]\n", "per-child needs"),
                Arguments.of("duplicate cgroup", named + "cgroups: [{path: k}, {path: k}]\n", "duplicate cgroup path"),
                Arguments.of("undeclared parent", named + "cgroups: [{path: k/a}]\n", "is not declared"),
                Arguments.of("duplicate workload", "name: t\nworkloads: [{name: w, shell: x}, {name: w, shell: y}]\n",
                        "duplicate workload name"),
                Arguments.of("dangling parameter", "name: t\nworkloads: [{name: w, shell: \"${x}\"}]\n",
                        "no parameter 'x'"),
                Arguments.of("unused parameter", named + "params: {x: 1}\n", "parameter 'x' is never used"),
                Arguments.of("bad value from a parameter", "name: t\ncgroups: [{path: k, swappiness: \"${s}\"}]\n"
                        + ok + "params: {s: 300}\n", "expected an integer 0..200, got 300 (parameter s=300)"),
                Arguments.of("NUL in text", "name: t\nworkloads: [{name: w, shell: \"a\\0b\"}]\n",
                        "must not contain a NUL character"));
    }

    static Stream<Arguments> kmodLoaderOnly() {
        return Stream.of(
                Arguments.of("stress in an undeclared cgroup", stress("cgroup: kubepods, cpus: [0]"),
                        "cgroup: no cgroup 'kubepods' is declared in cgroups or made by a fan-out (declared: k, "
                                + "k/pod01..pod02)"),
                Arguments.of("stress in a child beyond the count", stress("cgroup: k/pod03, cpus: [0]"),
                        "cgroup: no cgroup 'k/pod03' is declared in cgroups or made by a fan-out; did you mean "
                                + "k/pod01?"),
                Arguments.of("cpu twice by a parameter", stress("cgroup: k, cpus: [1, \"${c}\"]") + "params: {c: 1}\n",
                        "cpus: 1 is listed twice"),
                Arguments.of("zero duration", stress("cgroup: k, cpus: [0], duration: 0s"), "must be longer than 0s"),
                Arguments.of("gfp a decimal number (JSON Schema cannot see how a number was written)",
                        stress("cgroup: k, cpus: [0], gfp: 208"), "gfp: expected a gfp mask like GFP_KERNEL"),
                Arguments.of("replace shorter than expect", patch("symbol: s, offset: 0, expect: [nop, nop], "
                        + "replace: [ret]"), "replace: expected as many instructions as expect (2), got 1"),
                Arguments.of("not an instruction", patch("symbol: s, offset: 0, expect: [\"add x0, x0, #1\"], "
                        + "replace: [ret]"), "expect: expected one of nop, ret, mov"),
                Arguments.of("bad operand", patch("symbol: s, offset: 0, expect: [nop], replace: [\"mov x0, #65536\"]"),
                        "replace: expected an immediate #0..#65535 for mov, got \"#65536\""),
                Arguments.of("hex word too short", patch("symbol: s, offset: 0, expect: [\"0xd28000\"], "
                        + "replace: [ret]"), "expect: expected exactly 8 hex digits"),
                Arguments.of("a decimal number as an instruction", patch("symbol: s, offset: 0, expect: [100], "
                        + "replace: [ret]"), "expect: expected exactly 8 hex digits"),
                Arguments.of("apply names no point", patch("points: {A: " + PATCH + ", B: " + PATCH + "}, apply: C"),
                        "apply: no patch point 'C' in points (expected one of: A, B, or none)"),
                Arguments.of("apply names no point in a variant", patch("points: {A: " + PATCH + "}, apply: "
                        + "\"${point}\"") + "variants: {matrix: {point: [none, A, X1]}}\n",
                        "apply: no patch point 'X1' in points (expected one of: A, or none) (variant point=X1)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"loaderOnly", "kmodLoaderOnly"})
    void theLoaderAloneRefuses(String what, String yaml, String loaderSays) throws IOException {
        assertEquals(Set.of(), validate(SCHEMA, yaml), what + ": the schema refuses it after all; move it to badPlans");
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> PlanLoader.load(file), what);
        assertTrue(e.getMessage().contains(loaderSays), what + ": the loader says\n" + e.getMessage());
    }

    static Stream<Arguments> goodPlans() {
        String ok = "workloads: [{name: w, shell: x}]\n";
        String named = "name: t\n" + ok;
        return Stream.of(
                Arguments.of("minimal", named),
                Arguments.of("sizes", named + "swap: {size: 1.5G}\ncgroups:\n  - {path: a, memory_limit: 64Mi, "
                        + "swap_max: 0}\n  - {path: b, memory_limit: 1073741824, swap_max: max}\n"
                        + "  - {path: c, memory_limit: 1000KB}\n"),
                Arguments.of("parameters in typed places", "name: t\nswap: {size: \"${s}\", priority: \"${p}\"}\n"
                        + "drop_caches: \"${d}\"\ncgroups: [{path: \"k${n}\", swappiness: \"${n}\", "
                        + "children: {count: \"${n}\"}}]\n"
                        + "monitors: {interval: \"${i}ms\"}\n"
                        + "workloads: [{name: w, shell: x, copies: \"${n}\", timeout: \"${n}s\", cgroup: \"k${n}\"}]\n"
                        + "params: {s: 1G, p: 5, d: false, n: 3, i: 250}\n"),
                Arguments.of("per-child", "name: t\ncgroups: [{path: k, children: {count: 2}}]\n"
                        + "workloads: [{name: w, cgroup: k, copies: per-child, command: [a, 1, 2.5, yes]}]\n"),
                Arguments.of("free text", "name: t\ndescription: \"$(x) `y`; z\"\nsysctl: {kernel.core_pattern: "
                        + "\"|/x %p; y\"}\nworkloads: [{name: w, shell: \"a | b; $(c)\"}]\n"),
                Arguments.of("dotted names", "name: my.plan_v2-final\nhosts: [arm01, db.example, x_1]\n" + ok),
                Arguments.of("empty monitors and sysctl", named + "monitors: {}\nsysctl: {}\nparams: {}\n"));
    }

    static Stream<Arguments> kmodGoodPlans() {
        return Stream.of(
                Arguments.of("kmod empty", KMOD_BASE + "kmod: {}\n"),
                Arguments.of("stress minimal", stress("cgroup: k, cpus: [1]")),
                Arguments.of("stress everything", stress("cgroup: k/pod02, cpus: [0, 3, 4095], loops: 0, "
                        + "nodes: 1000000, nr_pages: 1048576, gfp: \"GFP_KERNEL|__GFP_NOWARN | 0x20\", "
                        + "duration: 30s")),
                Arguments.of("stress on 64 cpus, hex gfp", stress("cgroup: k, cpus: " + cpus(64) + ", gfp: 0x6000c0")),
                Arguments.of("patch", KMOD_BASE + "kmod: {patch: " + PATCH + "}\n"),
                Arguments.of("patch in hex", patch("symbol: do_shrink_slab.isra.0, offset: \"0x00150\", "
                        + "expect: [0xd503233f, d503201f, \"bti c\"], replace: [\"mov x0, #0\", ret, 0xd503201f]")),
                Arguments.of("patch at an unquoted hex offset", patch("symbol: _s, offset: 0xffffc, "
                        + "expect: [paciasp], replace: [ret]")),
                Arguments.of("stress and patch", KMOD_BASE + "kmod:\n  stress: {cgroup: k, cpus: [1]}\n"
                        + "  patch: " + PATCH + "\n"),
                Arguments.of("patch points as variants", KMOD_BASE + "kmod:\n  patch:\n    points:\n"
                        + "      A: " + PATCH + "\n      B-2: " + PATCH.replace("shrink_slab", "do_shrink_slab") + "\n"
                        + "    apply: ${point}\nvariants:\n  matrix:\n    point: [none, A, B-2]\n"),
                Arguments.of("points never applied", patch("points: {A: " + PATCH + "}, apply: none")),
                Arguments.of("parameters in kmod", KMOD_BASE + "kmod:\n"
                        + "  stress: {cgroup: \"k/pod0${n}\", cpus: [\"${n}\"], loops: \"${n}\", nodes: \"${n}\", "
                        + "nr_pages: \"${n}\", gfp: \"${gfp}\", duration: \"${n}s\"}\n"
                        + "  patch: {symbol: \"${sym}\", offset: \"${off}\", expect: [nop], replace: [ret]}\n"
                        + "params: {n: 2, gfp: \"GFP_NOIO | __GFP_NOWARN\", sym: shrink_slab, off: 0x8}\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"goodPlans", "kmodGoodPlans"})
    void goodPlansPassBoth(String what, String yaml) throws IOException {
        assertEquals(Set.of(), validate(SCHEMA, yaml), what);
        try {
            PlanLoader.load(Files.writeString(dir.resolve("good.yaml"), yaml));
        } catch (ConfigException e) {
            fail(what + ":\n" + e.getMessage());
        }
    }

    @Test
    void schemaKnowsExactlyTheKeysTheLoaderKnows() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA_FILE.toFile());
        JsonNode defs = schema.get("$defs");
        assertEquals(PlanBinder.PLAN_KEYS, names(schema.get("properties")));
        JsonNode props = schema.get("properties");
        assertEquals(PlanBinder.SWAP_KEYS, names(props.get("swap").get("properties")));
        assertEquals(PlanBinder.CGROUP_KEYS, names(defs.get("cgroup").get("properties")));
        assertEquals(PlanBinder.CHILDREN_KEYS,
                names(defs.get("cgroup").get("properties").get("children").get("properties")));
        assertEquals(PlanBinder.TRACING_KEYS, names(props.get("tracing").get("properties")));
        assertEquals(PlanBinder.MONITOR_KEYS, names(props.get("monitors").get("properties")));
        assertEquals(PlanBinder.WORKLOAD_KEYS, names(defs.get("workload").get("properties")));
        assertEquals(PlanBinder.DD_OPERANDS, names(defs.get("workload").get("properties").get("dd").get("properties")));
        assertEquals(List.of("matrix", "repeat"), names(props.get("variants").get("properties")));
        assertEquals(PlanBinder.VERDICT_KEYS, names(props.get("verdict").get("properties")));
        assertEquals(PlanBinder.THRESHOLD_KEYS,
                names(props.get("verdict").get("properties").get("storm").get("items").get("properties")));
        assertEquals(PlanBinder.CHANGE_KEYS,
                names(props.get("verdict").get("properties").get("regression").get("items").get("properties")));
        JsonNode kmod = props.get("kmod").get("properties");
        assertEquals(KmodBinder.KMOD_KEYS, names(kmod));
        assertEquals(KmodBinder.STRESS_KEYS, names(kmod.get("stress").get("properties")));
        assertEquals(KmodBinder.PATCH_KEYS, names(kmod.get("patch").get("properties")));
        assertEquals(KmodBinder.POINT_KEYS, names(defs.get("patchPoint").get("properties")));
    }

    @Test
    void everyPropertyHasADescriptionForEditors() throws IOException {
        assertEquals(List.of(), JsonSchemas.undescribed("plan"));
        assertEquals(List.of(), JsonSchemas.undescribed("inventory"));
    }

    private static List<String> names(JsonNode properties) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = properties.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() throws IOException {
        for (String name : List.of("plan", "inventory")) {
            assertEquals(Set.of(), JsonSchemas.metaProblems(name), name);
        }
    }
}
