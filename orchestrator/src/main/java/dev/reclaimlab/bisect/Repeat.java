package dev.reclaimlab.bisect;

import java.util.Map;

/**
 * One iteration of a measurement, as the bisect keeps it.
 *
 * @param iteration   its folder inside the run directory
 * @param status      manifest.json's word for how it ended ({@code ok}, {@code crashed}, {@code untestable} ...)
 * @param values      the bisect's metrics, where the iteration has them
 * @param lostPercent the share of its trace's events that were lost; null without a trace
 * @param release     the kernel the host reported for it
 */
public record Repeat(int repeat, String iteration, String status, Map<String, Double> values, Double lostPercent,
                     String release, String error) {
    public Repeat {
        values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** The kernel went down under it (a panic, a hang): a result, not a failure to measure. */
    public boolean wentDown() {
        return "crashed".equals(status) || "hung".equals(status);
    }

    /** Its figures are samples: it ended ok (or its workload failed, which is an outcome) and lost no more than allowed. */
    public boolean counts(double maxLostPercent) {
        return ("ok".equals(status) || "workload-failed".equals(status))
                && (lostPercent == null || lostPercent <= maxLostPercent);
    }
}
