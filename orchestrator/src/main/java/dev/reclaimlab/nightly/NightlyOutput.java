package dev.reclaimlab.nightly;

import dev.reclaimlab.history.Notifications;
import dev.reclaimlab.history.Regression;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.report.JunitXml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a night leaves for its CI job: {@code nightly.json} (everything the night decided) and {@code junit.xml}, where
 * a regression is a failure, infrastructure trouble (nothing could be measured, a webhook that never answered) an
 * error, and a metric that could not be judged a skipped test with the reason.
 */
public final class NightlyOutput {
    public static final String SUMMARY = "nightly.json";
    public static final String JUNIT = "junit.xml";

    private NightlyOutput() {}

    public static void write(Path dir, String plan, String host, NightlyJob.Result result) throws IOException {
        Files.createDirectories(dir);
        dev.reclaimlab.local.Trees.write(dir.resolve(SUMMARY), (Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(summary(
                plan, host, result)) + "\n").getBytes(StandardCharsets.UTF_8));
        dev.reclaimlab.local.Trees.write(dir.resolve(JUNIT), junit(plan, host, result).getBytes(StandardCharsets.UTF_8));
    }

    static Map<String, Object> summary(String plan, String host, NightlyJob.Result r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plan", plan);
        out.put("host", host);
        out.put("status", r.status());
        out.put("error", r.error());
        out.put("run", r.run() == null ? null : r.run().runId());
        out.put("run_dir", r.run() == null ? null : r.run().dir());
        out.put("rerun", r.rerun() == null ? null : r.rerun().runId());
        out.put("accepted_into_baseline", r.accepted());
        out.put("baseline_runs", r.baselineRuns());
        List<Map<String, Object>> judged = new ArrayList<>();
        for (Judgement j : r.judgements()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("variant", j.key().variant());
            m.put("metric", j.metric());
            m.put("limit", j.criterion().toString());
            m.put("outcome", j.outcome().word());
            m.put("figures", j.why());
            m.put("change_percent", j.compared() == null ? null : finite(j.compared().percent()));
            m.put("p", j.compared() == null ? null : finite(j.compared().p()));
            judged.add(m);
        }
        out.put("metrics", judged);
        out.put("changed", r.changes().stream().map(NightlyOutput::regression).toList());
        out.put("open", r.open().stream().map(NightlyOutput::regression).toList());
        out.put("notifications", r.sent().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", s.event());
            m.put("regression_id", s.regressionId());
            m.put("target", s.target());
            m.put("http_status", s.httpStatus());
            m.put("attempts", s.attempts());
            m.put("error", s.error());
            return m;
        }).toList());
        return out;
    }

    private static Map<String, Object> regression(Regression g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", g.id());
        m.put("variant", g.variant());
        m.put("metric", g.metric());
        m.put("state", g.state());
        m.put("first_run", g.firstRun());
        m.put("first_kernel", g.firstKernel());
        m.put("last_good_kernel", g.lastGoodKernel());
        m.put("figures", g.figures());
        m.put("opened_at", g.openedAt());
        m.put("bisect", g.bisect());
        return m;
    }

    static String junit(String plan, String host, NightlyJob.Result r) {
        StringBuilder cases = new StringBuilder();
        int tests = 0;
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        String classname = "lab.nightly." + plan;
        if (r.error() != null) {
            tests++;
            errors++;
            cases.append(testcase(classname, "night on " + host)).append("      <error message=\"").append(JunitXml.attr(r.error()))
                    .append("\" type=\"").append(JunitXml.attr(r.status())).append("\"/>\n    </testcase>\n");
        }
        for (Judgement j : r.judgements()) {
            tests++;
            boolean open = r.open().stream().anyMatch(g -> g.metric().equals(j.metric())
                    && g.variant().equals(j.key().variant()));
            cases.append(testcase(classname, j.criterion() + " [" + j.key().variant() + "]"));
            if (open) {
                failures++;
                cases.append("      <failure message=\"").append(JunitXml.attr("regression: " + j.why())).append("\" type=\"regression\">")
                        .append(JunitXml.text(j.why())).append("</failure>\n");
            } else if (j.outcome() == Outcome.UNKNOWN) {
                skipped++;
                cases.append("      <skipped message=\"").append(JunitXml.attr(j.why())).append("\"/>\n");
            } else {
                cases.append("      <system-out>").append(JunitXml.text(j.outcome().word() + ": " + j.why())).append("</system-out>\n");
            }
            cases.append("    </testcase>\n");
        }
        for (Notifications.Sent s : r.sent()) {
            tests++;
            cases.append(testcase(classname, "notify " + s.event() + " to " + s.target()));
            if (!s.delivered()) {
                errors++;
                cases.append("      <error message=\"").append(JunitXml.attr(s.error())).append("\" type=\"notification\"/>\n");
            }
            cases.append("    </testcase>\n");
        }
        return String.format(Locale.ROOT, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"%d\" "
                + "failures=\"%d\" errors=\"%d\" skipped=\"%d\">\n  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" "
                + "errors=\"%d\" skipped=\"%d\" time=\"0\">\n%s  </testsuite>\n</testsuites>\n", tests, failures, errors,
                skipped, JunitXml.attr("lab nightly " + plan + " on " + host), tests, failures, errors, skipped, cases);
    }

    private static String testcase(String classname, String name) {
        return "    <testcase classname=\"" + JunitXml.attr(classname) + "\" name=\"" + JunitXml.attr(name) + "\" time=\"0\">\n";
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
