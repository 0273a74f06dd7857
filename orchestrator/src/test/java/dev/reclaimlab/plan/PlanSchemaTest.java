package dev.reclaimlab.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
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
                Arguments.of("repeat zero", named + "variants: {repeat: 0}\n", "repeat: expected an integer >= 1"),
                Arguments.of("repeat text", named + "variants: {repeat: twice}\n", "repeat: expected an integer >= 1"),
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPlans")
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
                        "must be longer than 0s"),
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("loaderOnly")
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("goodPlans")
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
    }

    @Test
    void everyPropertyHasADescriptionForEditors() throws IOException {
        List<String> missing = new ArrayList<>();
        JsonNode schema = JSON.readTree(SCHEMA_FILE.toFile());
        describeCheck(schema, schema, "", missing);
        assertEquals(List.of(), missing);
    }

    static void describeCheck(JsonNode root, JsonNode node, String path, List<String> missing) {
        if (node.isObject()) {
            JsonNode props = node.get("properties");
            if (props != null) {
                props.fields().forEachRemaining(e -> {
                    if (!hasDescription(root, e.getValue())) {
                        missing.add(path + "/" + e.getKey());
                    }
                });
            }
            node.fields().forEachRemaining(e -> describeCheck(root, e.getValue(), path + "/" + e.getKey(), missing));
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                describeCheck(root, item, path + "[]", missing);
            }
        }
    }

    private static boolean hasDescription(JsonNode root, JsonNode property) {
        if (property.hasNonNull("description")) {
            return true;
        }
        JsonNode ref = property.get("$ref");
        return ref != null && hasDescription(root, root.at(ref.asText().substring(1)));
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
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertFalse(meta.validate(JSON.readTree("{\"type\": 5}")).isEmpty(), "the meta-schema checks nothing");
        for (String name : List.of("plan.schema.json", "inventory.schema.json")) {
            JsonNode schema = JSON.readTree(SCHEMA_FILE.resolveSibling(name).toFile());
            assertEquals(Set.of(), meta.validate(schema), name);
        }
    }
}
