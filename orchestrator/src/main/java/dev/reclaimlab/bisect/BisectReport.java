package dev.reclaimlab.bisect;

import dev.reclaimlab.local.Json;
import dev.reclaimlab.local.Trees;
import dev.reclaimlab.report.HtmlReport;
import dev.reclaimlab.vm.DebianChangelog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A bisect's report, from its state alone (so {@code lab bisect report} works offline): {@code report.html} with the
 * answer first, {@code summary.json} for scripts, {@code junit.xml} for CI (a bad kernel is a failed test case, a
 * skipped one a skipped case).
 */
public final class BisectReport {
    public static final String HTML = "report.html";
    public static final String SUMMARY = "summary.json";
    public static final String JUNIT = "junit.xml";
    /** The Debian changelog entries between the last good and the first bad build, where both came from apt. */
    public static final String CHANGELOG = "changelog.txt";

    private BisectReport() {}

    public static Path write(Path dir, BisectState state, Analysis analysis) throws IOException {
        BisectSettings s = state.settings();
        Trees.write(dir.resolve(SUMMARY), Json.mapper().writeValueAsBytes(summary(state, analysis)));
        Trees.write(dir.resolve(JUNIT), junit(state, analysis).getBytes(StandardCharsets.UTF_8));
        Path html = dir.resolve(HTML);
        Map<String, Object> model = model(s, analysis);
        Path changelog = dir.resolve(CHANGELOG);
        String entries = java.nio.file.Files.isRegularFile(changelog)
                ? java.nio.file.Files.readString(changelog, StandardCharsets.UTF_8) : "";
        model.put("changelog", entries);
        model.put("changelogHeads", DebianChangelog.entries(entries).stream()
                .map(e -> e.source() + " " + e.version()).toList());
        Trees.write(html, HtmlReport.render("bisect.html.ftl", model).getBytes(StandardCharsets.UTF_8));
        return html;
    }

    static Map<String, Object> summary(BisectState state, Analysis a) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plan", state.settings().plan());
        out.put("host", state.settings().host());
        out.put("outcome", a.outcome().word());
        out.put("answer", a.answer());
        if (a.next() == null && a.firstBad() != null) {
            out.put("last_good", state.settings().candidates().get(a.lastGood()));
            out.put("first_bad", state.settings().candidates().get(a.firstBad()));
        }
        out.put("unsplit", a.unsplit().stream().map(i -> state.settings().candidates().get(i)).toList());
        out.put("confidence", a.confidence());
        out.put("kernels_booted", a.kernelsBooted());
        out.put("boots", a.boots());
        out.put("analysis", a);
        return out;
    }

    private static Map<String, Object> model(BisectSettings s, Analysis a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", "lab bisect: " + Path.of(s.plan()).getFileName() + " on " + s.host());
        m.put("generated", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
        m.put("candidateCount", s.candidates().size());
        m.put("kernelsBooted", a.kernelsBooted());
        m.put("boots", a.boots());
        m.put("repeats", s.repeats());
        m.put("maxRepeats", s.maxRepeats());
        m.put("outcome", a.outcome().word());
        m.put("outcomeClass", switch (a.outcome()) {
            case FOUND -> "yes";
            case MEASURING -> "muted";
            default -> "bad";
        });
        m.put("answer", a.answer());
        m.put("confidence", a.confidence());
        m.put("unsplit", a.unsplit().stream().map(i -> s.candidates().get(i).label()).toList());
        m.put("firstBad", a.firstBad() == null ? "" : s.candidates().get(a.firstBad()).label());
        m.put("gate", a.gate());
        m.put("used", a.used());
        m.put("alpha", String.valueOf(BisectSettings.ALPHA));
        m.put("floor", String.format(java.util.Locale.ROOT, "%.2g",
                dev.reclaimlab.report.Change.smallestP(s.repeats(), s.repeats())));
        m.put("maxSpread", dev.reclaimlab.plan.PlanNumbers.format(s.maxSpreadPercent()));
        List<String> criteria = s.criteria().stream().filter(c -> a.used().contains(c.toString()))
                .map(Criterion::metric).toList();
        m.put("criteria", criteria);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        for (Analysis.Judged j : a.candidates()) {
            Map<String, Object> row = new LinkedHashMap<>();
            Candidate c = s.candidates().get(j.index());
            row.put("index", j.index());
            row.put("kernel", c.label());
            row.put("version", c.version() == null ? "" : c.version());
            row.put("repeats", j.repeats());
            row.put("verdict", j.verdict().word());
            row.put("verdictClass", switch (j.verdict()) {
                case GOOD -> "yes";
                case BAD -> "bad";
                default -> "muted";
            });
            row.put("reason", j.reason());
            row.put("culprit", a.next() == null && a.firstBad() != null && a.firstBad() == j.index());
            List<Map<String, String>> figures = new ArrayList<>();
            for (String metric : criteria) {
                Map<String, String> f = new LinkedHashMap<>(Map.of("median", "", "change", "", "pGood", "",
                        "pBad", ""));
                j.figures().stream().filter(x -> x.metric().equals(metric)).findFirst().ifPresent(x -> {
                    f.put("median", Spread.number(x.vsGood().otherMedian()) + " ± " + Spread.number(x.spread().stddev()));
                    f.put("change", Double.isNaN(x.vsGood().percent()) ? "from 0"
                            : String.format(Locale.ROOT, "%+.1f%%", x.vsGood().percent()));
                    f.put("pGood", p(x.vsGood().p()));
                    f.put("pBad", p(x.vsBad().p()));
                });
                figures.add(f);
            }
            row.put("figures", figures);
            rows.add(row);
            if (j.verdict().skipped()) {
                skipped.add(Map.of("kernel", c.label(), "reason", j.reason()));
            }
        }
        m.put("candidates", rows);
        m.put("skipped", skipped);
        List<Map<String, Object>> path = new ArrayList<>();
        for (Analysis.Step step : a.path()) {
            path.add(Map.of("kernel", step.kernel(), "purpose", step.purpose(), "repeats", step.repeats(),
                    "verdict", step.verdict().word(), "runDir", step.runDir() == null ? "" : step.runDir()));
        }
        m.put("path", path);
        return m;
    }

    private static String p(double p) {
        return Double.isNaN(p) ? "–" : String.format(Locale.ROOT, "%.2g", p);
    }

    private static String junit(BisectState state, Analysis a) {
        StringBuilder cases = new StringBuilder();
        int failures = 0;
        int skipped = 0;
        int tests = 0;
        for (Analysis.Judged j : a.candidates()) {
            if (j.verdict() == Verdict.UNMEASURED) {
                continue;
            }
            tests++;
            cases.append("    <testcase classname=\"lab.bisect\" name=\"").append(xml(j.kernel())).append("\" time=\"0\">");
            if (j.verdict() == Verdict.BAD) {
                failures++;
                cases.append("<failure message=\"").append(xml("bad: " + j.reason())).append("\"/>");
            } else if (j.verdict() != Verdict.GOOD) {
                skipped++;
                cases.append("<skipped message=\"").append(xml(j.verdict().word() + ": " + j.reason())).append("\"/>");
            }
            cases.append("</testcase>\n");
        }
        String name = "bisect " + Path.of(state.settings().plan()).getFileName() + " on " + state.settings().host();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"" + tests + "\" failures=\"" + failures
                + "\">\n  <testsuite name=\"" + xml(name) + "\" tests=\"" + tests + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"" + skipped + "\" time=\"0\">\n" + cases
                + "    <system-out>" + xml(a.outcome().word() + ": " + a.answer()) + "</system-out>\n"
                + "  </testsuite>\n</testsuites>\n";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("\n", "&#10;");
    }
}
