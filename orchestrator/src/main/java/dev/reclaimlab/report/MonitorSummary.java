package dev.reclaimlab.report;

import dev.reclaimlab.artifacts.Csv;
import dev.reclaimlab.artifacts.RunLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures and timelines from the monitor CSVs of one iteration (loadavg, cpu, psi): what an engineer looks at first
 * when a node "has load in the hundreds and CPUs in sys". Columns are read by the names lib.sh's lab_monitor writes
 * in each header row.
 */
public final class MonitorSummary {
    /** cpu.csv's columns used here: when, and /proc/stat's CPU times in jiffies (their sum is all the time there was). */
    private static final List<String> CPU = List.of("uptime", "user", "nice", "system", "idle", "iowait", "irq",
            "softirq", "steal");

    private MonitorSummary() {}

    /** A timeline: seconds since the first sample, and a value per sample. */
    public record Series(String name, List<double[]> points) {
        public Series {
            points = List.copyOf(points);
        }
    }

    /** {@code monitors.loadavg.load1_max}, {@code monitors.cpu.system_pct}, {@code monitors.psi.some_avg10_max}, ... */
    public static Map<String, Double> read(Path iterationDir) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        List<double[]> load = Csv.numbers(csv(iterationDir, "loadavg"), "load1");
        if (!load.isEmpty()) {
            out.put("monitors.loadavg.load1_max", load.stream().mapToDouble(r -> r[0]).max().orElse(0));
            out.put("monitors.loadavg.load1_mean", load.stream().mapToDouble(r -> r[0]).average().orElse(0));
        }
        List<double[]> cpu = cpuTimes(iterationDir);
        if (cpu.size() >= 2) {
            double[] first = cpu.get(0);
            double[] last = cpu.get(cpu.size() - 1);
            double total = total(last) - total(first);
            if (total > 0) {
                out.put("monitors.cpu.system_pct", 100 * (column(last, "system") - column(first, "system")) / total);
                double idle = column(last, "idle") - column(first, "idle");
                double iowait = column(last, "iowait") - column(first, "iowait");
                out.put("monitors.cpu.busy_pct", 100 * (total - idle - iowait) / total);
            }
        }
        List<double[]> some = Csv.numbers(csv(iterationDir, "psi"), "some_avg10", "some_total_us");
        if (!some.isEmpty()) {
            out.put("monitors.psi.some_avg10_max", some.stream().mapToDouble(r -> r[0]).max().orElse(0));
            if (some.size() >= 2) {
                out.put("monitors.psi.some_stall_ms", (some.get(some.size() - 1)[1] - some.get(0)[1]) / 1000);
            }
        }
        List<double[]> full = Csv.numbers(csv(iterationDir, "psi"), "full_avg10");
        if (!full.isEmpty()) {
            out.put("monitors.psi.full_avg10_max", full.stream().mapToDouble(r -> r[0]).max().orElse(0));
        }
        return out;
    }

    /**
     * loadavg 1-minute, CPU system % per interval, and memory PSI some avg10, over time: seconds since {@code origin}
     * (host uptime, e.g. the workloads' start), else since each monitor's first row.
     */
    public static List<Series> timelines(Path iterationDir, java.util.OptionalDouble origin) throws IOException {
        List<Series> series = new ArrayList<>();
        List<double[]> load = Csv.numbers(csv(iterationDir, "loadavg"), "uptime", "load1");
        if (!load.isEmpty()) {
            series.add(new Series("loadavg 1m", relative(load, origin)));
        }
        List<double[]> cpu = cpuTimes(iterationDir);
        if (cpu.size() >= 2) {
            List<double[]> points = new ArrayList<>();
            double t0 = origin.orElse(column(cpu.get(0), "uptime"));
            for (int i = 1; i < cpu.size(); i++) {
                double total = total(cpu.get(i)) - total(cpu.get(i - 1));
                double system = column(cpu.get(i), "system") - column(cpu.get(i - 1), "system");
                points.add(new double[] {column(cpu.get(i), "uptime") - t0, total > 0 ? 100 * system / total : 0});
            }
            series.add(new Series("CPU system %", points));
        }
        List<double[]> psi = Csv.numbers(csv(iterationDir, "psi"), "uptime", "some_avg10");
        if (!psi.isEmpty()) {
            series.add(new Series("memory PSI some avg10 %", relative(psi, origin)));
        }
        return series;
    }

    private static Path csv(Path iterationDir, String source) {
        return iterationDir.resolve(RunLayout.monitor(source));
    }

    /** The {@link #CPU} columns of cpu.csv. */
    private static List<double[]> cpuTimes(Path iterationDir) throws IOException {
        return Csv.numbers(csv(iterationDir, "cpu"), CPU.toArray(String[]::new));
    }

    private static double column(double[] cpuRow, String name) {
        return cpuRow[CPU.indexOf(name)];
    }

    /** Points of (seconds since origin, else since the first row, value) from rows of (uptime, value). */
    private static List<double[]> relative(List<double[]> rows, java.util.OptionalDouble origin) {
        double t0 = origin.orElse(rows.get(0)[0]);
        return rows.stream().map(r -> new double[] {r[0] - t0, r[1]}).toList();
    }

    /** All CPU time of a cpu.csv row: every column but uptime. */
    private static double total(double[] cpuRow) {
        double sum = 0;
        for (int i = 1; i < cpuRow.length; i++) {
            sum += cpuRow[i];
        }
        return sum;
    }
}
