package dev.reclaimlab.history;

import java.util.List;

/**
 * One metric of one variant of a plan on one host, run after run: what {@code lab history} draws.
 *
 * @param points one per run that has the metric, oldest first
 */
public record Trend(String metric, String host, String variant, List<Point> points) {
    public Trend {
        points = List.copyOf(points);
    }

    /**
     * One run's repeats of the metric.
     *
     * @param median     the median over the run's finished repeats
     * @param lostPercent the largest share of trace events a repeat of the run lost; figures past the plan's limit are
     *                   not results, and the page says so at the point
     * @param baseline   {@code accepted}, {@code rejected} or null
     * @param regression the state of a regression of this metric that this run showed ({@code confirmed}, {@code
     *                   active}, …); null when it showed none
     * @param report     the run's report (absolute path), where it has one
     */
    public record Point(String runId, String startedAt, String kernel, double median, double min, double max, int n,
                        Double lostPercent, String status, String baseline, String regression, String report) {}
}
