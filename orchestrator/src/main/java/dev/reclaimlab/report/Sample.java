package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.artifacts.IterationStatus;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One (host, variant, repeat) of a run as a report sees it: where its files are and the numbers it produced.
 *
 * @param values every comparable number of the iteration: metrics.json leaves by path, plus monitor summaries
 * @param metrics metrics.json as written, for charts; null when the iteration has no trace
 * @param bootRelease the kernel lab booted the host into for this iteration (plans with a boot section); null when
 *                    the iteration ran on whatever the host ran
 * @param bootCmdline the command line it booted with; null as for bootRelease
 */
public record Sample(String runId, String host, Map<String, String> variant, String variantLabel, int repeat,
                     IterationStatus status, Path dir, JsonNode metrics, Map<String, Double> values,
                     String bootRelease, String bootCmdline) {
    public Sample {
        variant = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(variant));
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }
}
