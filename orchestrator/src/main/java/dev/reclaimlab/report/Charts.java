package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The charts of a comparison, where people would rather look than read: memcg reclaim latency CDF, nr_reclaimed per
 * second per CPU, monitor timelines, ANON vs FILE reclaim, and the shrink_slab share of reclaim time.
 */
final class Charts {
    /** Per-CPU timelines are drawn for this many sides at most; beyond that the page gets long, not clearer. */
    private static final int PER_CPU_SIDES = 4;

    private Charts() {}

    static List<String> of(Comparison comparison) throws IOException {
        List<Side> sides = comparison.sides();
        List<String> charts = new ArrayList<>();
        charts.add(latencyCdf(sides));
        charts.add(anonVsFile(comparison));
        charts.add(shrinkSlabShare(comparison));
        for (Side side : sides.subList(0, Math.min(PER_CPU_SIDES, sides.size()))) {
            charts.add(reclaimedPerCpuSecond(side));
        }
        charts.addAll(monitorTimelines(sides));
        charts.removeIf(java.util.Objects::isNull); // charts of data this run did not collect
        return charts;
    }

    /** Share of memcg reclaims that finished within x µs, all repeats of a side merged (log x). */
    private static String latencyCdf(List<Side> sides) {
        List<Svg.Line> lines = new ArrayList<>();
        for (Side side : sides) {
            TreeMap<Long, Long> buckets = new TreeMap<>();
            long overflow = 0;
            for (Sample sample : side.samples()) {
                if (sample.metrics() == null) {
                    continue;
                }
                for (JsonNode bucket : sample.metrics().path("memcg_reclaim").path("histogram")) {
                    if (bucket.path("lt_us").isNumber()) {
                        buckets.merge(bucket.get("lt_us").asLong(), bucket.path("count").asLong(), Long::sum);
                    } else {
                        overflow += bucket.path("count").asLong();
                    }
                }
            }
            long total = buckets.values().stream().mapToLong(Long::longValue).sum() + overflow;
            if (total == 0) {
                continue;
            }
            List<double[]> points = new ArrayList<>();
            long running = 0;
            for (Map.Entry<Long, Long> bucket : buckets.entrySet()) {
                running += bucket.getValue();
                points.add(new double[] {bucket.getKey(), 100.0 * running / total});
            }
            lines.add(new Svg.Line(side.label(), points));
        }
        boolean lossy = sides.stream().flatMap(side -> side.samples().stream())
                .anyMatch(sample -> LostEvents.of(sample).filter(LostEvents::any).isPresent());
        String title = "memcg reclaim latency (CDF)" + (lossy
                ? " — some traces lost events: their spans across a loss are left out, not measured" : "");
        return Svg.lines(title, "µs (log scale)", "% of reclaims", lines, true);
    }

    private static String anonVsFile(Comparison comparison) {
        List<String> categories = comparison.sides().stream().map(Side::label).toList();
        double[][] values = new double[categories.size()][2];
        for (int i = 0; i < categories.size(); i++) {
            values[i][0] = mean(comparison, "lru_shrink_inactive.anon_events", i);
            values[i][1] = mean(comparison, "lru_shrink_inactive.file_events", i);
        }
        return Svg.bars("mm_vmscan_lru_shrink_inactive events: ANON vs FILE (mean over repeats)", "events",
                new Svg.Bars(categories, List.of("ANON", "FILE"), values));
    }

    private static String shrinkSlabShare(Comparison comparison) {
        List<String> categories = comparison.sides().stream().map(Side::label).toList();
        double[][] values = new double[categories.size()][1];
        for (int i = 0; i < categories.size(); i++) {
            values[i][0] = 100 * mean(comparison, "shrink_slab.share_of_memcg_reclaim", i);
        }
        return Svg.bars("share of memcg reclaim time spent in shrink_slab", "%",
                new Svg.Bars(categories, List.of("shrink_slab share %"), values));
    }

    /** Pages freed by memcg reclaim per second on each CPU, first repeat of the side (seed 000 §6 as a picture). */
    private static String reclaimedPerCpuSecond(Side side) {
        Map<Integer, List<double[]>> perCpu = new TreeMap<>();
        Sample first = side.samples().stream().filter(s -> s.metrics() != null).findFirst().orElse(null);
        if (first != null) {
            JsonNode rows = first.metrics().path("per_cpu_seconds");
            long start = Long.MAX_VALUE;
            for (JsonNode row : rows) {
                start = Math.min(start, row.path("second").asLong());
            }
            for (JsonNode row : rows) {
                double pages = row.path("reclaims").asDouble() * row.path("avg_nr_reclaimed").asDouble();
                perCpu.computeIfAbsent(row.path("cpu").asInt(), c -> new ArrayList<>())
                        .add(new double[] {row.path("second").asLong() - start, pages});
            }
        }
        List<Svg.Line> lines = new ArrayList<>();
        perCpu.forEach((cpu, points) -> lines.add(new Svg.Line("cpu" + cpu, points)));
        String title = "pages reclaimed per second per CPU — " + side.label();
        Optional<LostEvents> lost = first == null ? Optional.empty() : LostEvents.of(first).filter(LostEvents::any);
        if (lost.isPresent()) {
            // a second whose events were lost reads low or is missing: the chart must not pass for a quiet second
            title += " — trace " + lost.get().describe() + ": seconds with losses read low or are missing";
        }
        return Svg.lines(title, "seconds", "nr_reclaimed", lines, false);
    }

    /** loadavg, CPU system % and memory PSI over time, one line per side (first repeat). */
    private static List<String> monitorTimelines(List<Side> sides) throws IOException {
        Map<String, List<Svg.Line>> byMonitor = new java.util.LinkedHashMap<>();
        for (Side side : sides) {
            if (side.samples().isEmpty()) {
                continue;
            }
            for (MonitorSummary.Series series : MonitorSummary.timelines(side.samples().get(0).dir())) {
                byMonitor.computeIfAbsent(series.name(), n -> new ArrayList<>())
                        .add(new Svg.Line(side.label(), series.points()));
            }
        }
        List<String> charts = new ArrayList<>();
        byMonitor.forEach((name, lines) -> charts.add(Svg.lines(name, "seconds", name, lines, false)));
        return charts;
    }

    private static double mean(Comparison comparison, String path, int side) {
        return comparison.row(path).map(r -> r.sides().get(side).mean()).orElse(Double.NaN);
    }
}
