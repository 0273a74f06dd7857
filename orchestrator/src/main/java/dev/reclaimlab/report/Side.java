package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One column of a comparison: the repeats that are compared as one (a variant, a run, a kernel).
 *
 * @param facts the host facts of the side's first sample (facts.json)
 */
public record Side(String label, List<Sample> samples, JsonNode facts) {

    public String kernel() {
        return facts == null ? "?" : facts.path("kernel_release").asText("?");
    }
}
