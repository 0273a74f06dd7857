package dev.reclaimlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * metrics.json is documented by orchestrator/src/main/resources/schema/metrics.schema.json: every metrics.json we
 * produce validates against it, the schema names exactly the fields the records have (so neither can change without
 * the other), and every field is described.
 */
public class MetricsSchemaTest {
    static final Path SCHEMA_FILE = Path.of("src/main/resources/schema/metrics.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private static JsonSchema load() {
        try (InputStream in = MetricsSchemaTest.class.getResourceAsStream("/schema/metrics.schema.json")) {
            assertTrue(in != null, "metrics.schema.json is not on the class path");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The schema's complaints about a metrics.json; the ITs use this for the files lab run writes. */
    public static Set<ValidationMessage> validate(JsonNode metrics) {
        return SCHEMA.validate(metrics);
    }

    static Stream<Path> traces() throws IOException {
        return TestTraces.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void everyMetricsJsonOfTheTestTracesValidates(Path trace) throws Exception {
        JsonNode metrics = JSON.readTree(TestTraces.json(TestTraces.analyze(trace)));

        assertEquals(Set.of(), validate(metrics), trace.toString());
    }

    @Test
    void metricsOfDamagedAndSyntheticTracesValidateToo(@TempDir Path dir) throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            Path trace = Files.writeString(dir.resolve("t" + seed + ".txt"),
                    SplitEquivalenceTest.randomTrace(new java.util.Random(seed), 800));
            assertEquals(Set.of(), validate(JSON.readTree(TestTraces.json(TestTraces.analyze(trace)))), "seed " + seed);
        }
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        assertEquals(Set.of(), validate(JSON.readTree(TestTraces.json(TestTraces.analyze(empty)))), "empty trace");
    }

    @Test
    void theSchemaRefusesWhatItShould() throws Exception {
        ObjectNode metrics = (ObjectNode) JSON.readTree(TestTraces.json(TestTraces.analyze(TestTraces.LOCAL_STORM)));
        ObjectNode unknown = metrics.deepCopy();
        unknown.put("surprise", 1);
        ObjectNode missing = metrics.deepCopy();
        missing.remove("memcg_reclaim");
        ObjectNode negative = metrics.deepCopy();
        ((ObjectNode) negative.get("shrink_slab")).put("count", -1);
        ObjectNode shortCounts = metrics.deepCopy();
        ((ObjectNode) shortCounts.get("per_cpu_seconds").get(0)).putArray("counts").add(1);

        for (ObjectNode bad : List.of(unknown, missing, negative, shortCounts)) {
            assertFalse(validate(bad).isEmpty(), bad.toString().substring(0, 80));
        }
    }

    @Test
    void theSchemaNamesExactlyTheFieldsOfTheRecords() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA_FILE.toFile());
        List<String> problems = new ArrayList<>();
        compare(schema, schema, TraceMetrics.class, "", problems);
        assertEquals(List.of(), problems);
    }

    /** Walks the record and the schema side by side: same property names, records within records, maps, lists. */
    private static void compare(JsonNode root, JsonNode node, Type type, String path, List<String> problems) {
        node = deref(root, node);
        if (type instanceof Class<?> c && c.isRecord()) {
            Set<String> fields = new TreeSet<>();
            PropertyNamingStrategies.NamingBase snake =
                    (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
            JsonNode properties = node.path("properties");
            for (RecordComponent component : c.getRecordComponents()) {
                String name = snake.translate(component.getName());
                fields.add(name);
                if (!properties.has(name)) {
                    problems.add(path + "/" + name + " is not in the schema");
                } else {
                    compare(root, properties.get(name), component.getGenericType(), path + "/" + name, problems);
                }
            }
            Set<String> documented = new TreeSet<>();
            properties.fieldNames().forEachRemaining(documented::add);
            documented.removeAll(fields);
            documented.forEach(extra -> problems.add(path + "/" + extra + " is in the schema but not written"));
            if (!node.path("additionalProperties").isBoolean() || node.get("additionalProperties").asBoolean()) {
                problems.add(path + " should refuse unknown properties");
            }
        } else if (type instanceof ParameterizedType p && p.getRawType() == Map.class) {
            compare(root, node.path("additionalProperties"), p.getActualTypeArguments()[1], path + "/*", problems);
        } else if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            compare(root, node.path("items"), p.getActualTypeArguments()[0], path + "[]", problems);
        }
    }

    private static JsonNode deref(JsonNode root, JsonNode node) {
        JsonNode ref = node.get("$ref");
        return ref == null ? node : deref(root, root.at(ref.asText().substring(1)));
    }

    @Test
    void everyPropertyIsDescribed() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA_FILE.toFile());
        List<String> missing = new ArrayList<>();
        describeCheck(schema, "", missing);
        assertEquals(List.of(), missing);
    }

    private static void describeCheck(JsonNode node, String path, List<String> missing) {
        if (node.isObject()) {
            JsonNode properties = node.get("properties");
            if (properties != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().hasNonNull("description")) {
                        missing.add(path + "/" + e.getKey());
                    }
                }
            }
            node.fields().forEachRemaining(e -> describeCheck(e.getValue(), path + "/" + e.getKey(), missing));
        } else if (node.isArray()) {
            node.forEach(item -> describeCheck(item, path + "[]", missing));
        }
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() throws IOException {
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertFalse(meta.validate(JSON.readTree("{\"type\": 5}")).isEmpty(), "the meta-schema checks nothing");
        assertEquals(Set.of(), meta.validate(JSON.readTree(SCHEMA_FILE.toFile())));
    }
}
