package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.artifacts.Csv;
import dev.reclaimlab.artifacts.RunLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The charts of a comparison, where people would rather look than read: memcg reclaim latency CDF, nr_reclaimed per
 * second per CPU, monitor timelines, ANON vs FILE reclaim, and the shrink_slab share of reclaim time.
 */
final class Charts {
    /** Per-CPU timelines are drawn for this many sides at most; beyond that the page gets long, not clearer. */
    private static final int PER_CPU_SIDES = 4;

    private Charts() {}

    static List<ChartSpec> of(Comparison comparison) throws IOException {
        List<Side> sides = comparison.sides();
        List<ChartSpec> charts = new ArrayList<>();
        charts.add(latencyCdf(sides));
        charts.add(anonVsFile(comparison));
        charts.add(shrinkSlabShare(comparison));
        for (Side side : sides.subList(0, Math.min(PER_CPU_SIDES, sides.size()))) {
            charts.add(reclaimedPerCpuSecond(side));
        }
        charts.addAll(monitorTimelines(sides));
        charts.removeIf(chart -> chart == null || !chart.hasData()); // charts of data this run did not collect
        return charts;
    }

    /** Share of memcg reclaims that finished within x µs, all repeats of a side merged (log x). */
    private static ChartSpec latencyCdf(List<Side> sides) {
        List<ChartSpec.Series> lines = new ArrayList<>();
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
            lines.add(ChartSpec.series(side.label(), side.description(), points));
        }
        boolean lossy = sides.stream().flatMap(side -> side.samples().stream())
                .anyMatch(sample -> LostEvents.of(sample).filter(LostEvents::any).isPresent());
        String title = "memcg reclaim latency (CDF)" + (lossy
                ? " — some traces lost events: their spans across a loss are left out, not measured" : "");
        return ChartSpec.lines(title, "µs (log scale)", "% of reclaims", true, lines);
    }

    private static ChartSpec anonVsFile(Comparison comparison) {
        List<String> categories = comparison.sides().stream().map(Side::label).toList();
        return ChartSpec.bars("mm_vmscan_lru_shrink_inactive events: ANON vs FILE (mean over repeats)", "events",
                categories, List.of(bars(comparison, "ANON", "lru_shrink_inactive.anon_events", 1),
                        bars(comparison, "FILE", "lru_shrink_inactive.file_events", 1)));
    }

    private static ChartSpec shrinkSlabShare(Comparison comparison) {
        List<String> categories = comparison.sides().stream().map(Side::label).toList();
        return ChartSpec.bars("share of memcg reclaim time spent in shrink_slab", "%", categories,
                List.of(bars(comparison, "shrink_slab share %", "shrink_slab.share_of_memcg_reclaim", 100)));
    }

    /** One bar per side: the mean of {@code path} over its repeats, times {@code scale}. */
    private static ChartSpec.Series bars(Comparison comparison, String name, String path, double scale) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < comparison.sides().size(); i++) {
            points.add(new double[] {i, scale * mean(comparison, path, i)});
        }
        return ChartSpec.series(name, path, points);
    }

    /**
     * Pages freed by memcg reclaim per second on each CPU, first repeat of the side (seed 000 §6 as a picture), on the
     * clock of the workloads' start where the iteration recorded it.
     */
    private static ChartSpec reclaimedPerCpuSecond(Side side) throws IOException {
        Map<Integer, List<double[]>> perCpu = new TreeMap<>();
        Sample first = side.samples().stream().filter(s -> s.metrics() != null).findFirst().orElse(null);
        OptionalDouble workloadStart = first == null ? OptionalDouble.empty() : workloadStart(first.dir());
        if (first != null) {
            JsonNode rows = first.metrics().path("per_cpu_seconds");
            double start = Double.MAX_VALUE;
            for (JsonNode row : rows) {
                start = Math.min(start, row.path("second").asLong());
            }
            if (workloadStart.isPresent()) {
                start = workloadStart.getAsDouble();
            }
            for (JsonNode row : rows) {
                double pages = row.path("reclaims").asDouble() * row.path("avg_nr_reclaimed").asDouble();
                perCpu.computeIfAbsent(row.path("cpu").asInt(), c -> new ArrayList<>())
                        .add(new double[] {row.path("second").asLong() - start, pages});
            }
        }
        List<ChartSpec.Series> lines = new ArrayList<>();
        perCpu.forEach((cpu, points) -> lines.add(ChartSpec.series("cpu" + cpu, side.description(), points)));
        String title = "pages reclaimed per second per CPU — " + side.label();
        Optional<LostEvents> lost = first == null ? Optional.empty() : LostEvents.of(first).filter(LostEvents::any);
        if (lost.isPresent()) {
            // a second whose events were lost reads low or is missing: the chart must not pass for a quiet second
            title += " — trace " + lost.get().describe() + ": seconds with losses read low or are missing";
        }
        return ChartSpec.lines(title, workloadStart.isPresent() ? "seconds since the workloads started"
                : "seconds since the trace's first reclaim", "nr_reclaimed", false, lines);
    }

    /**
     * loadavg, CPU system % and memory PSI over time, one line per side (first repeat), each on the clock of its own
     * workloads' start so the sides line up where their storms began.
     */
    private static List<ChartSpec> monitorTimelines(List<Side> sides) throws IOException {
        Map<String, List<ChartSpec.Series>> byMonitor = new java.util.LinkedHashMap<>();
        boolean aligned = true;
        for (Side side : sides) {
            if (side.samples().isEmpty()) {
                continue;
            }
            Path dir = side.samples().get(0).dir();
            OptionalDouble start = workloadStart(dir);
            aligned &= start.isPresent();
            for (MonitorSummary.Series series : MonitorSummary.timelines(dir, start)) {
                byMonitor.computeIfAbsent(series.name(), n -> new ArrayList<>())
                        .add(ChartSpec.series(side.label(), side.description(), series.points()));
            }
        }
        String x = aligned ? "seconds since the workloads started" : "seconds since the monitors started";
        List<ChartSpec> charts = new ArrayList<>();
        byMonitor.forEach((name, lines) -> charts.add(ChartSpec.lines(name, x, name, false, lines)));
        return charts;
    }

    /** When the iteration's workloads started (host uptime, workloads.csv's started column), if it says. */
    static OptionalDouble workloadStart(Path iterationDir) throws IOException {
        for (Map<String, String> row : Csv.records(iterationDir.resolve(RunLayout.WORKLOADS_CSV))) {
            String started = row.getOrDefault("started", "");
            if (started.matches("\\d{1,12}(\\.\\d{1,9})?")) {
                return OptionalDouble.of(Double.parseDouble(started));
            }
        }
        return OptionalDouble.empty();
    }

    private static double mean(Comparison comparison, String path, int side) {
        return comparison.row(path).map(r -> r.sides().get(side).mean()).orElse(Double.NaN);
    }
}
