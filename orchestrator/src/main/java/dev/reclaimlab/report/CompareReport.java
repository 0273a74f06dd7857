package dev.reclaimlab.report;

import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.artifacts.RunStatus;
import dev.reclaimlab.artifacts.StepRecord;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.plan.VerdictSpec;
import dev.reclaimlab.yaml.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code lab report} and {@code lab compare}: runs in, one self-contained report.html, summary.json and junit.xml
 * out. The verdict comes from the first run's plan.
 */
public final class CompareReport {
    /** Step-log commands shown in the appendix at most, so a long run keeps the report small. */
    private static final int MAX_COMMANDS = 400;

    private CompareReport() {}

    /**
     * What was written, and how many verdict criteria failed (for the exit code).
     *
     * @param lost      an iteration whose trace lost events, per line, described
     * @param headlines each section's headline with its title ("" for a report of one section)
     */
    public record Written(Path report, Path summary, Path junit, int criteria, int failed, List<String> unfinished,
                         List<String> lost, Map<String, Headline> headlines) {
        public Written {
            unfinished = List.copyOf(unfinished);
            lost = List.copyOf(lost);
            headlines = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headlines));
        }
    }

    /**
     * A run's own report, into its run directory: every variant side by side, with the plan's verdict (what
     * {@code lab report} writes). The manifest then points at it.
     */
    public static Written writeForRun(RunDirectory run) throws IOException {
        Written written = write(List.of(run.root()), Grouping.VARIANT, run.root());
        run.writeManifest(run.manifest().withReport(run.root().relativize(written.report()).toString()));
        return written;
    }

    public static Written write(List<Path> runDirs, Grouping by, Path out) throws IOException {
        List<RunData> runs = new ArrayList<>();
        for (Path dir : runDirs) {
            runs.add(RunData.load(dir));
        }
        VerdictSpec verdict = verdict(runs.get(0));
        List<Section> sections = new ArrayList<>();
        List<List<Side>> grouped = by.sections(runs);
        for (List<Side> sides : grouped) {
            Comparison comparison = Comparison.of(sides, verdict.noisePercent());
            String title = by == Grouping.RUN && grouped.size() > 1 ? sides.get(0).samples().get(0).variantLabel()
                    : "";
            List<VerdictResult> judged = Verdicts.judge(verdict, comparison);
            sections.add(new Section(title, comparison, judged,
                    Headline.of(comparison, judged, Headline.metricsOf(verdict)), Charts.of(comparison),
                    ProfileGraphs.of(comparison)));
        }
        RunDirectory target = RunDirectory.create(out);
        List<SummaryJson.LostEntry> lost = lost(runs, verdict.maxLostPercent());
        SummaryJson.Document summary = SummaryJson.of(by, runs, sections, lost);
        target.writeJson(RunLayout.SUMMARY, summary);
        String suite = "lab " + (runs.size() == 1 ? "report " : "compare ") + runs.get(0).plan();
        target.write(RunLayout.JUNIT, JunitXml.render(suite, sections));
        target.write(RunLayout.REPORT, HtmlReport.render(model(runs, sections, verdict, out)));
        return new Written(out.resolve(RunLayout.REPORT), out.resolve(RunLayout.SUMMARY), out.resolve(RunLayout.JUNIT),
                summary.verdict().criteria(), summary.verdict().failed(),
                unfinished(runs).stream().map(row -> row.get("run")).toList(),
                lost.stream().map(l -> l.runId() + " " + l.iteration() + ": " + new LostEvents(l.lost(), l.kept())
                        .describe()).toList(), headlines(sections));
    }

    private static Map<String, Headline> headlines(List<Section> sections) {
        Map<String, Headline> headlines = new LinkedHashMap<>();
        sections.forEach(s -> headlines.put(s.title(), s.headline()));
        return headlines;
    }

    /** The plan's verdict, read again from the plan the run kept; a run without one is judged by nothing. */
    private static VerdictSpec verdict(RunData run) throws IOException {
        Optional<Path> plan = run.dir().planCopy();
        if (plan.isEmpty()) {
            return VerdictSpec.none();
        }
        try {
            return PlanLoader.load(plan.get()).resolved().get(0).verdict();
        } catch (ConfigException e) {
            throw new IOException("the plan kept with run " + run.runId() + " no longer loads:\n" + e.getMessage());
        }
    }

    private static Map<String, Object> model(List<RunData> runs, List<Section> sections, VerdictSpec verdict, Path out)
            throws IOException {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", runs.size() == 1 ? runs.get(0).plan() + " — " + runs.get(0).runId()
                : runs.get(0).plan() + " — " + runs.size() + " runs compared");
        model.put("generated", Instant.now().toString());
        model.put("unfinished", unfinished(runs));
        model.put("lost", lostRows(lost(runs, verdict.maxLostPercent())));
        model.put("maxLost", Figures.share(verdict.maxLostPercent()));
        model.put("wentDown", wentDownRows(runs, out));
        model.put("hosts", hostRows(runs));
        model.put("cmdlineDiff", cmdlineDifferences(runs));
        model.put("verdictDeclared", !verdict.storm().isEmpty() || !verdict.regression().isEmpty());
        model.put("noise", Figures.number(verdict.noisePercent()));
        List<Map<String, Object>> sectionModels = new ArrayList<>();
        for (Section section : sections) {
            sectionModels.add(sectionModel(section));
        }
        model.put("sections", sectionModels);
        model.put("flameWidth", FlameGraph.WIDTH);
        model.put("modules", moduleRows(runs, out));
        List<Map<String, Object>> appendix = new ArrayList<>();
        for (RunData run : runs) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("runId", run.runId());
            Optional<Path> plan = run.dir().planCopy();
            entry.put("plan", plan.isPresent() ? Files.readString(plan.get()) : "(plan not kept)");
            entry.put("commands", commands(run.dir()));
            List<Map<String, String>> traces = new ArrayList<>();
            for (Manifest.IterationEntry iteration : run.manifest().iterations()) {
                String trace = iteration.artifacts() == null ? null : iteration.artifacts().trace();
                if (trace != null) {
                    traces.add(Map.of("label", iteration.host() + " " + iteration.label(),
                            "href", link(out, run.dir().inside(trace))));
                }
            }
            entry.put("traces", traces);
            List<Map<String, String>> consoles = new ArrayList<>();
            for (Manifest.HostEntry host : run.manifest().hosts()) {
                if (host.console() != null) {
                    consoles.add(Map.of("label", host.name(), "href", link(out, run.dir().inside(host.console()))));
                }
            }
            entry.put("consoles", consoles);
            appendix.add(entry);
        }
        model.put("runs", appendix);
        return model;
    }

    /**
     * One row per iteration whose kernel crashed or hung: the storm's most drastic result, with the console that shows
     * it. Such an iteration has no figures, so without these rows it would only be missing from the tables.
     */
    static List<Map<String, String>> wentDownRows(List<RunData> runs, Path out) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (RunData run : runs) {
            for (Manifest.IterationEntry iteration : run.manifest().iterations()) {
                if (!iteration.status().hostWentDown()) {
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                row.put("run", run.runId());
                row.put("iteration", iteration.host() + " " + iteration.label());
                row.put("kernel", iteration.boot() == null ? "" : iteration.boot().release()
                        + (iteration.boot().cmdline() == null ? "" : " (" + iteration.boot().cmdline() + ")"));
                row.put("status", iteration.status().word());
                row.put("reason", iteration.error() == null ? "" : iteration.error());
                String console = iteration.artifacts() == null ? null : iteration.artifacts().console();
                row.put("console", console == null ? "" : link(out, run.dir().inside(console)));
                rows.add(row);
            }
        }
        return rows;
    }

    /** One row per iteration that loaded a module: what was patched or stressed, and what the kernel held. */
    private static List<Map<String, String>> moduleRows(List<RunData> runs, Path out) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        for (RunData run : runs) {
            for (Sample sample : run.samples()) {
                ModuleNotes notes = ModuleNotes.read(sample.dir()).orElse(null);
                if (notes == null) {
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                row.put("where", sample.host() + " " + sample.variantLabel() + " r" + sample.repeat());
                row.put("patch", notes.patch().isEmpty() ? "" : notes.patch().getOrDefault("where", "") + ": "
                        + notes.patch().getOrDefault("expect", "") + " → " + notes.patch().getOrDefault("replace", ""));
                row.put("before", notes.before());
                row.put("after", notes.after());
                row.put("restored", notes.restoredWord());
                row.put("stress", notes.stress().isEmpty() ? "" : notes.stress().getOrDefault("settings", "")
                        + "; " + notes.stress().getOrDefault("calls", "?") + " calls, "
                        + notes.stress().getOrDefault("reclaimed", "?") + " pages reclaimed");
                row.put("dmesg", notes.dmesg() ? link(out, sample.dir().resolve(RunLayout.KMOD_DMESG)) : "");
                rows.add(row);
            }
        }
        return rows;
    }

    private static Map<String, Object> sectionModel(Section section) throws IOException {
        Comparison comparison = section.comparison();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("title", section.title());
        model.put("sides", comparison.sides().stream().map(s -> Map.of("label", s.label(),
                "description", s.description(), "repeats", Integer.toString(s.measured()), "unmeasured",
                s.unmeasured(), "kernel", s.kernel())).toList());
        Headline headline = section.headline();
        List<String> changes = headline.changes().stream().map(Headline.Finding::text).toList();
        model.put("headline", Map.of("verdict", headline.verdict(),
                "failed", section.verdicts().stream().anyMatch(VerdictResult::failed),
                "changes", changes.subList(0, Math.min(Headline.SHOWN, changes.size())),
                "more", changes.subList(Math.min(Headline.SHOWN, changes.size()), changes.size()),
                "unchanged", headline.unchanged().stream().map(Headline.Finding::text).toList(),
                "resolution", headline.resolution()));
        model.put("oneRepeat", comparison.minRepeats() < 2);
        List<String> charts = new ArrayList<>();
        for (ChartSpec chart : section.charts()) {
            charts.add(Json.mapper().writeValueAsString(chart)); // drawn in the page (reports/charts.js)
        }
        model.put("charts", charts);
        model.put("flameGraphs", section.flameGraphs());
        List<Map<String, Object>> verdicts = new ArrayList<>();
        for (VerdictResult v : section.verdicts()) {
            verdicts.add(Map.of("kind", v.kind(), "criterion", v.criterion(), "side", v.side(),
                    "answer", answer(v), "failed", v.failed(), "figures", v.figures()));
        }
        model.put("verdicts", verdicts);
        List<Map<String, Object>> families = new ArrayList<>();
        comparison.byFamily().forEach((family, rows) -> {
            List<Map<String, Object>> cells = new ArrayList<>();
            for (MetricRow row : rows) {
                List<Map<String, Object>> sides = new ArrayList<>();
                for (int i = 0; i < row.sides().size(); i++) {
                    Summary s = row.sides().get(i);
                    Change c = row.changes().get(i);
                    Map<String, Object> cell = new LinkedHashMap<>();
                    cell.put("mean", Figures.number(s.mean()));
                    cell.put("stddev", s.n() > 1 ? "±" + Figures.number(s.stddev()) : "");
                    cell.put("change", c == null ? "" : Figures.percent(c.percent()));
                    cell.put("mark", c == null ? "" : !c.judged() ? "n/a" : c.significant() ? "significant"
                            : "p=" + String.format(Locale.ROOT, "%.2g", c.pValue()));
                    cell.put("significant", c != null && c.significant());
                    sides.add(cell);
                }
                cells.add(Map.of("path", row.path().substring(row.path().indexOf('.') + 1), "sides", sides,
                        "significant", row.anySignificant()));
            }
            families.add(Map.of("name", family, "rows", cells));
        });
        model.put("families", families);
        return model;
    }

    private static String answer(VerdictResult v) {
        if (!v.judgeable()) {
            return "cannot judge";
        }
        if (v.kind().equals("storm")) {
            return v.holds() ? "yes" : "no";
        }
        return v.holds() ? "REGRESSION" : "no regression";
    }

    /**
     * Runs whose manifest still says running: the orchestrator was killed (or is still at work). Their figures
     * cover only the iterations that finished, and the report says so first.
     */
    private static List<Map<String, String>> unfinished(List<RunData> runs) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (RunData run : runs) {
            if (run.manifest().status() == RunStatus.RUNNING) {
                rows.add(Map.of("run", run.runId(), "iterations", Integer.toString(run.manifest().iterations().size())));
            }
        }
        return rows;
    }

    /** Every iteration whose trace lost events, lossiest first: the report's first words. */
    static List<SummaryJson.LostEntry> lost(List<RunData> runs, double limitPercent) {
        List<SummaryJson.LostEntry> entries = new ArrayList<>();
        for (RunData run : runs) {
            for (Sample sample : run.samples()) {
                LostEvents.of(sample).filter(LostEvents::any).ifPresent(l -> entries.add(new SummaryJson.LostEntry(
                        run.runId(), sample.host() + " " + sample.variantLabel() + " r" + sample.repeat(), l.lost(),
                        l.kept(), l.percent(), l.percent() <= limitPercent)));
            }
        }
        entries.sort(java.util.Comparator.comparingDouble(SummaryJson.LostEntry::percent).reversed());
        return entries;
    }

    private static List<Map<String, String>> lostRows(List<SummaryJson.LostEntry> lost) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (SummaryJson.LostEntry l : lost) {
            rows.add(Map.of("run", l.runId(), "iteration", l.iteration(),
                    "lost", new LostEvents(l.lost(), l.kept()).describe(), "judged", l.judged() ? "yes" : "no"));
        }
        return rows;
    }

    private static List<Map<String, String>> hostRows(List<RunData> runs) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (RunData run : runs) {
            run.facts().forEach((name, f) -> {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("run", run.runId());
                row.put("date", run.manifest().startedAt());
                row.put("host", name);
                row.put("kernel", f.kernelRelease() + " " + f.machine());
                row.put("cgroup", f.cgroupMode() + " v" + f.memoryCgroupVersion() + ", " + f.memcgCount() + " memcgs");
                row.put("nokmem", f.nokmem() ? "yes" : "no");
                row.put("cpus", Integer.toString(f.cpus()));
                row.put("memory", (f.memTotalBytes() >> 20) + " MiB");
                rows.add(row);
            });
        }
        return rows;
    }

    /** Kernel command-line words that not every host has: where comparisons usually hide their cause. */
    private static List<Map<String, String>> cmdlineDifferences(List<RunData> runs) {
        Map<String, Set<String>> words = new LinkedHashMap<>();
        for (RunData run : runs) {
            run.facts().forEach((name, f) -> {
                Set<String> set = new LinkedHashSet<>();
                for (String word : f.cmdline().split("\\s+")) {
                    if (word.equals("--")) {
                        break;
                    }
                    set.add(word);
                }
                words.put(run.runId() + " " + name, set);
            });
        }
        Set<String> common = null;
        for (Set<String> set : words.values()) {
            if (common == null) {
                common = new LinkedHashSet<>(set);
            } else {
                common.retainAll(set);
            }
        }
        List<Map<String, String>> rows = new ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : words.entrySet()) {
            Set<String> own = new LinkedHashSet<>(entry.getValue());
            if (common != null) {
                own.removeAll(common);
            }
            if (!own.isEmpty() && words.size() > 1) {
                rows.add(Map.of("host", entry.getKey(), "words", String.join(" ", own)));
            }
        }
        return rows;
    }

    private static List<Map<String, String>> commands(RunDirectory run) throws IOException {
        List<Map<String, String>> commands = new ArrayList<>();
        for (StepRecord step : run.steps(MAX_COMMANDS)) {
            commands.add(Map.of("where", step.host() + " · " + step.iteration(), "step", step.step(),
                    "exit", step.timedOut() ? "timeout" : Integer.toString(step.exitCode()), "command", step.command()));
        }
        return commands;
    }

    /**
     * A relative URL from the report's folder to a file of a run: each path segment percent-encoded, and a leading
     * "./" so that no segment can read as a URL scheme. Targets have been checked to lie inside their run.
     */
    static String link(Path from, Path to) {
        Path relative = from.toAbsolutePath().normalize().relativize(to.toAbsolutePath().normalize());
        StringBuilder url = new StringBuilder(relative.startsWith("..") ? "" : "./");
        for (int i = 0; i < relative.getNameCount(); i++) {
            if (i > 0) {
                url.append('/');
            }
            url.append(encodeSegment(relative.getName(i).toString()));
        }
        return url.toString();
    }

    private static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
