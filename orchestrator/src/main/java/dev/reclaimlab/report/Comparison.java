package dev.reclaimlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every metric of every side, with changes against the first side. The first side is the baseline: the first
 * run given to {@code lab compare}, or the first variant of the plan.
 */
public record Comparison(List<Side> sides, List<MetricRow> rows, double noisePercent) {
    public Comparison {
        sides = List.copyOf(sides);
        rows = List.copyOf(rows);
    }


    public static Comparison of(List<Side> sides, double noisePercent) {
        Set<String> paths = new LinkedHashSet<>();
        for (Side side : sides) {
            side.samples().forEach(s -> paths.addAll(s.values().keySet()));
        }
        List<MetricRow> rows = new ArrayList<>();
        for (String path : paths) {
            List<Summary> summaries = new ArrayList<>();
            for (Side side : sides) {
                List<Double> values = new ArrayList<>();
                for (Sample sample : side.samples()) {
                    Double value = sample.values().get(path);
                    if (value != null && !value.isNaN()) {
                        values.add(value);
                    }
                }
                summaries.add(Summary.of(values));
            }
            List<Change> changes = new ArrayList<>();
            changes.add(null);
            for (int i = 1; i < summaries.size(); i++) {
                boolean comparable = summaries.get(0).n() > 0 && summaries.get(i).n() > 0;
                changes.add(comparable ? Change.between(summaries.get(0), summaries.get(i), noisePercent) : null);
            }
            rows.add(new MetricRow(MetricPaths.family(path), path, summaries, changes));
        }
        return new Comparison(List.copyOf(sides), rows, noisePercent);
    }

    public Optional<MetricRow> row(String path) {
        return rows.stream().filter(r -> r.path().equals(path)).findFirst();
    }

    /** Rows grouped by family in first-seen order, for one table each. */
    public Map<String, List<MetricRow>> byFamily() {
        Map<String, List<MetricRow>> families = new LinkedHashMap<>();
        rows.forEach(r -> families.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(r));
        return families;
    }

    /** Fewest repeats of any side: below two, no change can be judged significant. */
    public int minRepeats() {
        return sides.stream().mapToInt(Side::measured).min().orElse(0);
    }
}
