package dev.reclaimlab.history;

import dev.reclaimlab.local.Json;
import dev.reclaimlab.report.HtmlReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code lab history}'s outputs: a self-contained HTML page of trend charts, JSON, or CSV. */
public final class HistoryPage {
    private HistoryPage() {}

    /**
     * @param lostLimitPercent the plan's {@code verdict.max_lost_percent}: runs past it are marked as no result
     * @param page             where the page will be written, so that links to run reports are relative to it
     */
    public static String html(String plan, String host, List<Trend> trends, List<Regression> regressions,
                              double lostLimitPercent, Path page) throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("plan", plan);
        model.put("host", host == null ? "every host" : host);
        List<Map<String, Object>> charts = new ArrayList<>();
        java.util.Set<String> runs = new java.util.LinkedHashSet<>();
        for (Trend t : trends) {
            t.points().forEach(p -> runs.add(p.runId()));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("metric", t.metric());
            c.put("variant", t.variant());
            c.put("host", t.host());
            c.put("svg", TrendChart.svg(t, lostLimitPercent, target -> TrendChart.relative(page, target)));
            long lossy = t.points().stream().filter(p -> p.lostPercent() != null && p.lostPercent() > lostLimitPercent)
                    .count();
            c.put("lossy", lossy);
            charts.add(c);
        }
        model.put("charts", charts);
        model.put("runs", runs.size());
        model.put("regressions", regressions.stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", r.metric());
            m.put("variant", r.variant());
            m.put("host", r.host());
            m.put("state", r.state());
            m.put("first", r.firstRun() + (r.firstKernel() == null ? "" : " (" + r.firstKernel() + ")"));
            m.put("lastGood", r.lastGoodKernel() == null ? "" : r.lastGoodKernel());
            m.put("figures", r.figures() == null ? "" : r.figures());
            m.put("closed", r.closedRun() == null ? "" : r.closedRun());
            return m;
        }).toList());
        model.put("lostLimit", String.format(Locale.ROOT, "%.2g%%", lostLimitPercent));
        return HtmlReport.render("history.html.ftl", model);
    }

    public static String json(String plan, String host, List<Trend> trends, List<Regression> regressions)
            throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plan", plan);
        out.put("host", host);
        out.put("trends", trends);
        out.put("regressions", regressions);
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
    }

    /** One row per run and trend; fields quoted where they need it. */
    public static String csv(List<Trend> trends) {
        StringBuilder s = new StringBuilder("metric,host,variant,run_id,started_at,kernel,median,min,max,repeats,"
                + "lost_percent,status,baseline,regression,report\n");
        for (Trend t : trends) {
            for (Trend.Point p : t.points()) {
                s.append(String.join(",", List.of(cell(t.metric()), cell(t.host()), cell(t.variant()), cell(p.runId()),
                        cell(p.startedAt()), cell(p.kernel()), number(p.median()), number(p.min()), number(p.max()),
                        Integer.toString(p.n()), p.lostPercent() == null ? "" : number(p.lostPercent()), cell(p.status()),
                        cell(p.baseline()), cell(p.regression()), cell(p.report())))).append('\n');
            }
        }
        return s.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String cell(String v) {
        if (v == null) {
            return "";
        }
        // a cell a spreadsheet would run as a formula is quoted with a leading apostrophe inside
        String safe = v.matches("^[=+\\-@].*") ? "'" + v : v;
        return safe.matches(".*[\",\\n\\r].*") || !safe.equals(v) ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
