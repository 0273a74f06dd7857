package dev.reclaimlab.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The trends of a plan's metrics, read from the results database. */
public final class Trends {
    private final Runs runs;
    private final Regressions regressions;

    public Trends(ResultsDatabase db) {
        this.runs = new Runs(db);
        this.regressions = new Regressions(db);
    }

    /**
     * One trend per (metric, host, variant) of the plan's runs, metrics in the order given (all of them, sorted, when
     * {@code metrics} is empty).
     */
    public List<Trend> of(String planName, String host, List<String> metrics) throws IOException {
        List<IndexedRun> planRuns = runs.ofPlan(planName, null, host);
        List<String> wanted = metrics.isEmpty() ? runs.metricNames(planName) : metrics;
        if (planRuns.isEmpty() || wanted.isEmpty()) {
            return List.of();
        }
        Map<String, IndexedRun> byId = new LinkedHashMap<>();
        planRuns.forEach(r -> byId.put(r.runId(), r));
        List<StoredIteration> iterations = runs.iterations(byId.keySet(), host, null, wanted);
        List<Regression> tracked = regressions.ofPlan(planName, host);
        List<String> order = new ArrayList<>(byId.keySet());
        List<Trend> out = new ArrayList<>();
        for (String metric : wanted) {
            Map<String, Map<String, List<StoredIteration>>> groups = new LinkedHashMap<>(); // host|variant -> run -> its
            for (StoredIteration i : iterations) {
                if (i.values().containsKey(metric)) {
                    groups.computeIfAbsent(i.host() + "\u0000" + i.variant(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(i.runId(), k -> new ArrayList<>()).add(i);
                }
            }
            for (Map.Entry<String, Map<String, List<StoredIteration>>> group : groups.entrySet()) {
                String[] hv = group.getKey().split("\u0000", 2);
                List<Trend.Point> points = new ArrayList<>();
                for (Map.Entry<String, List<StoredIteration>> run : group.getValue().entrySet()) {
                    double[] values = run.getValue().stream().filter(StoredIteration::ok)
                            .mapToDouble(i -> i.values().get(metric)).sorted().toArray();
                    if (values.length == 0) {
                        continue;
                    }
                    IndexedRun r = byId.get(run.getKey());
                    StoredIteration first = run.getValue().get(0);
                    Double lost = run.getValue().stream().map(StoredIteration::lostPercent)
                            .filter(java.util.Objects::nonNull).max(Double::compare).orElse(null);
                    points.add(new Trend.Point(r.runId(), r.startedAt(), first.kernel(), median(values), values[0],
                            values[values.length - 1], values.length, lost, r.status(), r.baseline(),
                            regressionAt(tracked, hv[0], hv[1], metric, r.runId(), order), r.report()));
                }
                if (!points.isEmpty()) {
                    out.add(new Trend(metric, hv[0], hv[1], points));
                }
            }
        }
        return out;
    }

    /** The regression of this metric a run showed: it lies from the run that opened it to the one before it closed. */
    static String regressionAt(List<Regression> tracked, String host, String variant, String metric, String runId,
                               List<String> order) {
        int at = order.indexOf(runId);
        for (Regression r : tracked) {
            if (!r.host().equals(host) || !r.variant().equals(variant) || !r.metric().equals(metric)
                    || Regression.UNCONFIRMED.equals(r.state()) || Regression.NEW.equals(r.state())) {
                continue;
            }
            int from = order.indexOf(r.firstRun());
            int to = r.closedRun() != null ? order.indexOf(r.closedRun()) - 1 : order.size() - 1;
            if (from >= 0 && at >= from && at <= to) {
                return r.state();
            }
        }
        return null;
    }

    private static double median(double[] sorted) {
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

}
