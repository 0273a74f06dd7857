package dev.reclaimlab.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.ValidationMessage;
import dev.reclaimlab.testing.JsonSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * metrics.json is documented by orchestrator/src/main/resources/schema/metrics.schema.json: every metrics.json we
 * produce validates against it, the schema names exactly the fields the records have (so neither can change without
 * the other), and every field is described.
 */
public class MetricsSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchema SCHEMA = JsonSchemas.load("metrics");

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
        // the profile section is added by lab run beside the trace's figures, from its own record
        List<String> problems = new java.util.ArrayList<>(JsonSchemas.differences("metrics", TraceMetrics.class));
        assertTrue(problems.remove("/profile is in the schema but not written"), problems.toString());
        assertEquals(List.of(), problems);
        assertEquals(List.of(), JsonSchemas.differencesAt("metrics", "/properties/profile",
                dev.reclaimlab.profile.ProfileMetrics.class));
    }

    @Test
    void everyPropertyIsDescribed() throws IOException {
        assertEquals(List.of(), JsonSchemas.undescribed("metrics"));
    }

    @Test
    void theSchemaIsAValidDraft202012Schema() throws IOException {
        assertEquals(Set.of(), JsonSchemas.metaProblems("metrics"));
    }
}
