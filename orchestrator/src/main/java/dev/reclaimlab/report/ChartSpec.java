package dev.reclaimlab.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A chart as data, which the page draws with the vendored uPlot (reports/vendor, reports/charts.js): a legend that
 * wraps instead of being cut off, series hidden and shown by a click on their legend entry, values on hover, and
 * zoom by dragging across (double click to zoom out). Numbers that do not exist are null, as in JSON.
 *
 * @param kind       {@code lines} (x and y per series, joined on x) or {@code bars} (one value per category)
 * @param logX       x on a log scale (latency)
 * @param categories the bars' categories, in order; empty for lines
 */
public record ChartSpec(String title, String kind, String xLabel, String yLabel, boolean logX, List<String> categories,
                        List<Series> series) {
    /** Points per series at most; longer series are thinned, which keeps reports of long runs small. */
    static final int MAX_POINTS = 2000;

    public ChartSpec {
        categories = List.copyOf(categories);
        series = List.copyOf(series);
    }

    /**
     * One line or one set of bars.
     *
     * @param description what the series is in full (a side's runs, host, kernel), shown on hover over its legend
     * @param x           its x values (lines), ascending; for bars, the categories' positions 0, 1, ...
     */
    public record Series(String name, String description, List<Double> x, List<Double> y) {
        public Series {
            x = Collections.unmodifiableList(new ArrayList<>(x));
            y = Collections.unmodifiableList(new ArrayList<>(y));
        }
    }

    public static ChartSpec lines(String title, String xLabel, String yLabel, boolean logX, List<Series> series) {
        return new ChartSpec(title, "lines", xLabel, yLabel, logX, List.of(), series);
    }

    public static ChartSpec bars(String title, String yLabel, List<String> categories, List<Series> series) {
        return new ChartSpec(title, "bars", "", yLabel, false, categories, series);
    }

    /**
     * A series from (x, y) points, as figures from traces other machines wrote may be: a point whose x is not a
     * finite number is left out, a y that is not becomes a gap (JSON has no NaN or infinity). Thinned to
     * {@link #MAX_POINTS}, keeping the last.
     */
    public static Series series(String name, String description, List<double[]> points) {
        List<double[]> finite = points.stream().filter(p -> Double.isFinite(p[0])).toList();
        double step = Math.max(1, (double) finite.size() / MAX_POINTS);
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (double i = 0; i < finite.size(); i += step) {
            add(finite.get((int) i), x, y);
        }
        if (step > 1) {
            add(finite.get(finite.size() - 1), x, y);
        }
        return new Series(name, description, x, y);
    }

    private static void add(double[] point, List<Double> x, List<Double> y) {
        x.add(point[0]);
        y.add(Double.isFinite(point[1]) ? point[1] : null);
    }

    /** Whether there is anything to draw. */
    public boolean hasData() {
        return series.stream().anyMatch(s -> s.y().stream().anyMatch(v -> v != null));
    }
}
