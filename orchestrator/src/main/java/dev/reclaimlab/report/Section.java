package dev.reclaimlab.report;

import java.util.List;

/** One comparison in a report, with its verdicts and charts (pre-rendered SVG). */
public record Section(String title, Comparison comparison, List<VerdictResult> verdicts, List<String> charts) {
    public Section {
        verdicts = List.copyOf(verdicts);
        charts = List.copyOf(charts);
    }
}
