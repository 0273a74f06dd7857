package dev.reclaimlab.report;

import dev.reclaimlab.host.HostFacts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code summary.json}: the comparison as data, for CI jobs and later tools. Its schema is
 * {@code schema/summary.schema.json}; numbers that do not exist (a mean of nothing, a change from 0) are null.
 */
public final class SummaryJson {
    public static final String FORMAT = "reclaim-lab/summary";
    public static final int VERSION = 1;

    private SummaryJson() {}

    public record Document(String format, int version, String generatedAt, String by, Double noisePercent,
                           List<LostEntry> lost, List<RunEntry> runs, List<SectionEntry> sections, Totals verdict) {
        public Document {
            lost = List.copyOf(lost);
            runs = List.copyOf(runs);
            sections = List.copyOf(sections);
        }
    }

    /** An iteration whose trace lost events (see {@link LostEvents}). */
    public record LostEntry(String runId, String iteration, long lost, long kept, double percent, boolean judged) {}

    public record RunEntry(String runId, String dir, String plan, String status, List<HostEntry> hosts) {
        public RunEntry {
            hosts = List.copyOf(hosts);
        }
    }

    public record HostEntry(String name, String kernel, String machine, String cmdline, Boolean nokmem,
                            String cgroupMode, Integer cpus, Long memTotalBytes, Integer memcgCount) {}

    public record SectionEntry(String title, HeadlineEntry headline, List<SideEntry> sides,
                               List<MetricEntry> metrics, List<VerdictEntry> verdicts) {
        public SectionEntry {
            sides = List.copyOf(sides);
            metrics = List.copyOf(metrics);
            verdicts = List.copyOf(verdicts);
        }
    }

    /** The section's {@link Headline}: what it comes to, in sentences and in figures. */
    public record HeadlineEntry(String verdict, List<FindingEntry> changes, List<FindingEntry> unchanged,
                                String resolution, List<String> lines) {
        public HeadlineEntry {
            changes = List.copyOf(changes);
            unchanged = List.copyOf(unchanged);
            lines = List.copyOf(lines);
        }
    }

    public record FindingEntry(String metric, String side, Double baseline, Double value, Double percent,
                               Double pValue, int baselineRepeats, int repeats, boolean atFloor, String text) {}

    public record SideEntry(String label, String description, String kernel, int repeats, List<String> runs) {
        public SideEntry {
            runs = List.copyOf(runs);
        }
    }

    public record MetricEntry(String family, String path, List<StatEntry> sides, List<ChangeEntry> changes) {
        public MetricEntry {
            sides = List.copyOf(sides);
            changes = Collections.unmodifiableList(new ArrayList<>(changes));
        }
    }

    public record StatEntry(int n, Double mean, Double stddev, Double min, Double max) {}

    public record ChangeEntry(Double percent, Double pValue, boolean judged, boolean significant) {}

    public record VerdictEntry(String kind, String criterion, String side, boolean holds, boolean judgeable,
                               boolean failed, String figures) {}

    public record Totals(int criteria, int failed) {}

    public static Document of(Grouping by, List<RunData> runs, List<Section> sections, List<LostEntry> lost) {
        List<RunEntry> runEntries = new ArrayList<>();
        for (RunData run : runs) {
            List<HostEntry> hosts = new ArrayList<>();
            run.facts().forEach((name, f) -> hosts.add(host(name, f)));
            runEntries.add(new RunEntry(run.runId(), run.dir().root().toString(), run.plan(),
                    run.manifest().status().word(), hosts));
        }
        List<SectionEntry> sectionEntries = new ArrayList<>();
        int criteria = 0;
        int failed = 0;
        double noise = VerdictDefaults.NOISE;
        for (Section section : sections) {
            noise = section.comparison().noisePercent();
            List<SideEntry> sides = section.comparison().sides().stream()
                    .map(s -> new SideEntry(s.label(), s.description(), s.kernel(), s.measured(),
                            s.samples().stream().map(Sample::runId).distinct().toList()))
                    .toList();
            List<MetricEntry> metrics = new ArrayList<>();
            for (MetricRow row : section.comparison().rows()) {
                metrics.add(new MetricEntry(row.family(), row.path(),
                        row.sides().stream().map(s -> new StatEntry(s.n(), n(s.mean()), n(s.stddev()), n(s.min()), n(s.max())))
                                .toList(),
                        row.changes().stream().map(c -> c == null ? null
                                : new ChangeEntry(n(c.percent()), n(c.pValue()), c.judged(), c.significant())).toList()));
            }
            List<VerdictEntry> verdicts = new ArrayList<>();
            for (VerdictResult v : section.verdicts()) {
                verdicts.add(new VerdictEntry(v.kind(), v.criterion(), v.side(), v.holds(), v.judgeable(), v.failed(),
                        v.figures()));
                criteria++;
                failed += v.failed() ? 1 : 0;
            }
            Headline h = section.headline();
            sectionEntries.add(new SectionEntry(section.title(), new HeadlineEntry(h.verdict(),
                    h.changes().stream().map(SummaryJson::finding).toList(),
                    h.unchanged().stream().map(SummaryJson::finding).toList(), h.resolution(), h.lines()),
                    sides, metrics, verdicts));
        }
        return new Document(FORMAT, VERSION, Instant.now().toString(), by.name().toLowerCase(), noise, lost,
                runEntries, sectionEntries, new Totals(criteria, failed));
    }

    private static FindingEntry finding(Headline.Finding f) {
        return new FindingEntry(f.metric(), f.side(), n(f.baseline()), n(f.value()), n(f.percent()), n(f.pValue()),
                f.baselineRepeats(), f.repeats(), f.atFloor(), f.text());
    }

    private static HostEntry host(String name, HostFacts f) {
        return new HostEntry(name, f.kernelRelease(), f.machine(), f.cmdline(), f.nokmem(), f.cgroupMode().name(),
                f.cpus(), f.memTotalBytes(), f.memcgCount());
    }

    /** JSON has no NaN or infinity: those become null. */
    private static Double n(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** The noise threshold when a report has no section to take it from. */
    static final class VerdictDefaults {
        static final double NOISE = dev.reclaimlab.plan.VerdictSpec.DEFAULT_NOISE_PERCENT;

        private VerdictDefaults() {}
    }
}
