package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.run.Json;
import dev.reclaimlab.run.ManifestWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run directory read back through its manifest: the input of every report. */
public record RunData(Path dir, JsonNode manifest, Map<String, JsonNode> facts, List<Sample> samples) {

    public static RunData load(Path dir) throws IOException {
        Path manifestFile = dir.resolve(ManifestWriter.FILE);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IOException(dir + " is not a run directory (no " + ManifestWriter.FILE + ")");
        }
        JsonNode manifest = Json.mapper().readTree(manifestFile.toFile());
        Map<String, JsonNode> facts = new LinkedHashMap<>();
        for (JsonNode host : manifest.path("hosts")) {
            Path file = dir.resolve(host.path("facts").asText("hosts/" + host.path("name").asText() + "/facts.json"));
            if (Files.isRegularFile(file)) {
                facts.put(host.path("name").asText(), Json.mapper().readTree(file.toFile()));
            }
        }
        List<Sample> samples = new ArrayList<>();
        String runId = manifest.path("run_id").asText();
        for (JsonNode iteration : manifest.path("iterations")) {
            Path iterationDir = dir.resolve(iteration.path("dir").asText());
            JsonNode metrics = null;
            Map<String, Double> values = new LinkedHashMap<>();
            String metricsPath = iteration.path("artifacts").path("metrics").asText(null);
            if (metricsPath != null && Files.isRegularFile(dir.resolve(metricsPath))) {
                metrics = Json.mapper().readTree(dir.resolve(metricsPath).toFile());
                values.putAll(MetricPaths.flatten(metrics));
            }
            values.putAll(MonitorSummary.read(iterationDir.resolve("monitors")));
            ModuleNotes.read(iterationDir).ifPresent(notes -> values.putAll(notes.values()));
            if (iteration.hasNonNull("lost_events")) {
                values.put("lost_events_ring_buffer", iteration.get("lost_events").asDouble());
            }
            Map<String, String> variant = new LinkedHashMap<>();
            iteration.path("variant").fields().forEachRemaining(e -> variant.put(e.getKey(), e.getValue().asText()));
            samples.add(new Sample(runId, iteration.path("host").asText(), variant,
                    iteration.path("variant_label").asText(), iteration.path("repeat").asInt(),
                    iteration.path("status").asText(), iterationDir, metrics, values));
        }
        return new RunData(dir, manifest, facts, samples);
    }

    public String runId() {
        return manifest.path("run_id").asText();
    }

    public String plan() {
        return manifest.path("plan").asText();
    }
}
