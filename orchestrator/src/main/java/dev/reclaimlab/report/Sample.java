package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * One (host, variant, repeat) of a run as a report sees it: where its files are and the numbers it produced.
 *
 * @param values every comparable number of the iteration: metrics.json leaves by path, plus monitor summaries
 * @param metrics metrics.json as written, for charts; null when the iteration has no trace
 */
public record Sample(String runId, String host, Map<String, String> variant, String variantLabel, int repeat,
                     String status, Path dir, JsonNode metrics, Map<String, Double> values) {}
