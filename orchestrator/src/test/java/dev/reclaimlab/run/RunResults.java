package dev.reclaimlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.JsonSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads what a finished run left in its run directory, for assertions. Every manifest read here must validate
 * against schema/manifest.schema.json: the ITs hold the schema to what real runs write.
 */
public record RunResults(Path dir, JsonNode manifest) {

    /** The only run directory under {@code runsDir}. */
    public static RunResults single(Path runsDir) throws IOException {
        List<Path> dirs;
        try (Stream<Path> entries = Files.list(runsDir)) {
            dirs = entries.filter(Files::isDirectory).toList();
        }
        if (dirs.size() != 1) {
            throw new AssertionError("expected one run directory in " + runsDir + ", found " + dirs);
        }
        Path dir = dirs.get(0);
        JsonNode manifest = Json.mapper().readTree(dir.resolve(RunLayout.MANIFEST).toFile());
        Set<ValidationMessage> problems = JsonSchemas.validate("manifest", manifest);
        if (!problems.isEmpty()) {
            throw new AssertionError("manifest.json of " + dir + " does not validate: " + problems);
        }
        return new RunResults(dir, manifest);
    }

    public List<JsonNode> iterations() {
        List<JsonNode> list = new ArrayList<>();
        manifest.get("iterations").forEach(list::add);
        return list;
    }

    public JsonNode iteration(String variantLabel, int repeat) {
        return iterations().stream()
                .filter(i -> i.get("variant_label").asText().equals(variantLabel) && i.get("repeat").asInt() == repeat)
                .findFirst().orElseThrow(() -> new AssertionError("no iteration " + variantLabel + " r" + repeat
                        + " in " + manifest.toPrettyString()));
    }

    public JsonNode metrics(JsonNode iteration) throws IOException {
        return Json.mapper().readTree(dir.resolve(iteration.get("artifacts").get("metrics").asText()).toFile());
    }

    public Path file(String relative) {
        return dir.resolve(relative);
    }
}
