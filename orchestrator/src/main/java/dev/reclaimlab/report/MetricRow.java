package dev.reclaimlab.report;

import java.util.List;

/**
 * One metric across every side: a summary per side and, for every side after the first, its change against the
 * first (the baseline).
 */
public record MetricRow(String family, String path, List<Summary> sides, List<Change> changes) {

    /** Any non-baseline side changed significantly. */
    public boolean anySignificant() {
        return changes.stream().anyMatch(c -> c != null && c.significant());
    }
}
