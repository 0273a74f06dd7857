package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.run.Json;
import dev.reclaimlab.run.Manifest;
import dev.reclaimlab.run.RunDirectory;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The first report of a run: per host and variant, the main figures of each iteration's metrics.json (memcg reclaim
 * count and p50/p99 latency, shrink_slab share of memcg reclaim time, ANON vs FILE shrink_inactive events, lost
 * events), with the host facts. One self-contained HTML file (no scripts, no network).
 */
public final class RunReport {
    public static final String FILE = "report.html";
    private static final Configuration FREEMARKER = configure();

    private RunReport() {}

    public static Path write(RunDirectory runDir, Manifest manifest) throws IOException {
        Map<String, Object> model = new HashMap<>();
        model.put("manifest", Json.mapper().convertValue(manifest, Map.class));
        Map<String, Object> facts = new LinkedHashMap<>();
        for (Manifest.HostEntry host : manifest.hosts()) {
            Path file = runDir.resolve(host.facts());
            if (Files.exists(file)) {
                facts.put(host.name(), Json.mapper().readValue(file.toFile(), Map.class));
            }
        }
        model.put("facts", facts);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Manifest.IterationEntry iteration : manifest.iterations()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("iteration", Json.mapper().convertValue(iteration, Map.class));
            if (iteration.artifacts() != null && iteration.artifacts().metrics() != null) {
                JsonNode metrics = Json.mapper().readTree(runDir.resolve(iteration.artifacts().metrics()).toFile());
                row.put("metrics", Json.mapper().convertValue(metrics, Map.class));
            }
            rows.add(row);
        }
        model.put("rows", rows);
        model.put("plan", Files.readString(runDir.resolve(dev.reclaimlab.run.RunEngine.PLAN_COPY)));
        StringWriter html = new StringWriter();
        try {
            Template template = FREEMARKER.getTemplate("run.html.ftl");
            template.process(model, html);
        } catch (TemplateException e) {
            throw new IOException("cannot render the report: " + e.getMessageWithoutStackTop(), e);
        }
        runDir.write(FILE, html.toString());
        return runDir.resolve(FILE);
    }

    private static Configuration configure() {
        Configuration config = new Configuration(Configuration.VERSION_2_3_34);
        config.setClassForTemplateLoading(RunReport.class, "/reports");
        config.setDefaultEncoding("UTF-8");
        config.setOutputFormat(freemarker.core.HTMLOutputFormat.INSTANCE); // escapes every value by default
        config.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        config.setLogTemplateExceptions(false);
        config.setNumberFormat("computer");
        return config;
    }
}
