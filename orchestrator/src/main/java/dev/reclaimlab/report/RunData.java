package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.host.HostFacts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run directory read back through its manifest: the input of every report.
 *
 * @param facts each host's facts.json, by host name (hosts that never got that far are missing)
 */
public record RunData(RunDirectory dir, Manifest manifest, Map<String, HostFacts> facts, List<Sample> samples) {

    public RunData {
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        samples = List.copyOf(samples);
    }

    public static RunData load(Path path) throws IOException {
        RunDirectory dir = RunDirectory.open(path);
        Manifest manifest = dir.manifest();
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        for (Manifest.HostEntry host : manifest.hosts()) {
            String file = host.facts() != null ? host.facts() : RunLayout.facts(host.name());
            dir.readJson(file, HostFacts.class).ifPresent(f -> facts.put(host.name(), f));
        }
        List<Sample> samples = new ArrayList<>();
        for (Manifest.IterationEntry iteration : manifest.iterations()) {
            Path iterationDir = dir.inside(iteration.dir());
            JsonNode metrics = null;
            Map<String, Double> values = new LinkedHashMap<>();
            String metricsPath = iteration.artifacts() == null ? null : iteration.artifacts().metrics();
            if (metricsPath != null) {
                metrics = dir.readJson(metricsPath, JsonNode.class).orElse(null);
                if (metrics != null) {
                    values.putAll(MetricPaths.flatten(metrics));
                }
            }
            values.putAll(MonitorSummary.read(iterationDir));
            ModuleNotes.read(iterationDir).ifPresent(notes -> values.putAll(notes.values()));
            if (iteration.lostEvents() != null) {
                values.put("lost_events_ring_buffer", iteration.lostEvents().doubleValue());
            }
            samples.add(new Sample(manifest.runId(), iteration.host(), iteration.variant(), iteration.variantLabel(),
                    iteration.repeat(), iteration.status(), iterationDir, metrics, values,
                    iteration.boot() == null ? null : iteration.boot().release(),
                    iteration.boot() == null ? null : iteration.boot().cmdline()));
        }
        return new RunData(dir, manifest, facts, samples);
    }

    public String runId() {
        return manifest.runId();
    }

    public String plan() {
        return manifest.plan();
    }
}
