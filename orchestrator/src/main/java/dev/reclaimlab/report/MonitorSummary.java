package dev.reclaimlab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Figures and timelines from the monitor CSVs of one iteration (loadavg, cpu, psi): what an engineer looks at first
 * when a node "has load in the hundreds and CPUs in sys".
 */
public final class MonitorSummary {
    private MonitorSummary() {}

    /** A timeline: seconds since the first sample, and a value per sample. */
    public record Series(String name, List<double[]> points) {}

    /** {@code monitors.loadavg.load1_max}, {@code monitors.cpu.system_pct}, {@code monitors.psi.some_avg10_max}, ... */
    public static Map<String, Double> read(Path monitorsDir) throws IOException {
        Map<String, Double> out = new LinkedHashMap<>();
        List<double[]> load = rows(monitorsDir.resolve("loadavg.csv"));
        if (!load.isEmpty()) {
            out.put("monitors.loadavg.load1_max", load.stream().mapToDouble(r -> r[1]).max().orElse(0));
            out.put("monitors.loadavg.load1_mean", load.stream().mapToDouble(r -> r[1]).average().orElse(0));
        }
        List<double[]> cpu = rows(monitorsDir.resolve("cpu.csv"));
        if (cpu.size() >= 2) {
            double[] first = cpu.get(0);
            double[] last = cpu.get(cpu.size() - 1);
            double total = total(last) - total(first);
            if (total > 0) {
                out.put("monitors.cpu.system_pct", 100 * (last[3] - first[3]) / total);
                out.put("monitors.cpu.busy_pct", 100 * (total - (last[4] - first[4]) - (last[5] - first[5])) / total);
            }
        }
        List<double[]> psi = rows(monitorsDir.resolve("psi.csv"));
        if (!psi.isEmpty()) {
            out.put("monitors.psi.some_avg10_max", psi.stream().mapToDouble(r -> r[1]).max().orElse(0));
            if (psi.get(0).length > 5) {
                out.put("monitors.psi.full_avg10_max", psi.stream().mapToDouble(r -> r[5]).max().orElse(0));
            }
            if (psi.size() >= 2) {
                out.put("monitors.psi.some_stall_ms", (psi.get(psi.size() - 1)[4] - psi.get(0)[4]) / 1000);
            }
        }
        return out;
    }

    /** loadavg 1-minute, CPU system % per interval, and memory PSI some avg10, over time. */
    public static List<Series> timelines(Path monitorsDir) throws IOException {
        List<Series> series = new ArrayList<>();
        List<double[]> load = rows(monitorsDir.resolve("loadavg.csv"));
        if (!load.isEmpty()) {
            series.add(new Series("loadavg 1m", relative(load, 1)));
        }
        List<double[]> cpu = rows(monitorsDir.resolve("cpu.csv"));
        if (cpu.size() >= 2) {
            List<double[]> points = new ArrayList<>();
            double t0 = cpu.get(0)[0];
            for (int i = 1; i < cpu.size(); i++) {
                double total = total(cpu.get(i)) - total(cpu.get(i - 1));
                double system = cpu.get(i)[3] - cpu.get(i - 1)[3];
                points.add(new double[] {cpu.get(i)[0] - t0, total > 0 ? 100 * system / total : 0});
            }
            series.add(new Series("CPU system %", points));
        }
        List<double[]> psi = rows(monitorsDir.resolve("psi.csv"));
        if (!psi.isEmpty()) {
            series.add(new Series("memory PSI some avg10 %", relative(psi, 1)));
        }
        return series;
    }

    private static List<double[]> relative(List<double[]> rows, int column) {
        double t0 = rows.get(0)[0];
        return rows.stream().map(r -> new double[] {r[0] - t0, r[column]}).toList();
    }

    /** jiffies of every state in a /proc/stat cpu row (columns 1..8). */
    private static double total(double[] row) {
        double sum = 0;
        for (int i = 1; i < row.length && i <= 8; i++) {
            sum += row[i];
        }
        return sum;
    }

    /** Numeric rows of a CSV with a header; rows that do not parse (a cut last line) are skipped. */
    static List<double[]> rows(Path csv) throws IOException {
        List<double[]> rows = new ArrayList<>();
        if (!Files.isRegularFile(csv)) {
            return rows;
        }
        List<String> lines = Files.readAllLines(csv);
        int width = lines.isEmpty() ? 0 : lines.get(0).split(",").length;
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] cells = line.split(",");
            if (cells.length != width) {
                continue;
            }
            double[] row = new double[width];
            try {
                for (int i = 0; i < width; i++) {
                    row[i] = Double.parseDouble(cells[i]);
                }
                rows.add(row);
            } catch (NumberFormatException e) {
                // a garbled sample; the others still count
            }
        }
        return rows;
    }
}
