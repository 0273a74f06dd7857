package dev.reclaimlab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One metric across every side: a summary per side and, for every side after the first, its change against the
 * first (the baseline).
 */
public record MetricRow(String family, String path, List<Summary> sides, List<Change> changes) {
    public MetricRow {
        sides = List.copyOf(sides);
        changes = Collections.unmodifiableList(new ArrayList<>(changes));
    }


    /** Any non-baseline side changed significantly. */
    public boolean anySignificant() {
        return changes.stream().anyMatch(c -> c != null && c.significant());
    }
}
