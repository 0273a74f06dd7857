package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Turns metrics.json into {@code path -> number} (e.g. {@code memcg_reclaim.latency_us.p99}), the unit of
 * comparison. Arrays and breakdowns keyed by data (per CPU, per task, per shrinker, histogram buckets) are left
 * to the charts: as table rows they would be noise.
 */
public final class MetricPaths {
    /** Subtrees that hold distributions or per-key breakdowns rather than single figures. */
    static final Set<String> BREAKDOWNS = Set.of("per_cpu_seconds", "histogram", "by_comm", "shrinkers", "priority",
            "counts", "skipped_samples", "formats");
    /** Bookkeeping, not measurements: where the trace starts on the clock, which format version wrote it. */
    static final Set<String> NOT_MEASUREMENTS = Set.of("version", "first_ts", "last_ts");

    private MetricPaths() {}

    public static Map<String, Double> flatten(JsonNode metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        walk(metrics, "", out);
        NOT_MEASUREMENTS.forEach(out::remove);
        return out;
    }

    private static void walk(JsonNode node, String prefix, Map<String, Double> out) {
        if (node.isNumber()) {
            out.put(prefix, node.asDouble());
            return;
        }
        if (!node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (BREAKDOWNS.contains(field.getKey())) {
                continue;
            }
            walk(field.getValue(), prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), out);
        }
    }

    /** The family a path belongs to, its first segment: one table per family in the report. */
    public static String family(String path) {
        int dot = path.indexOf('.');
        return dot < 0 ? "trace" : path.substring(0, dot);
    }
}
