package dev.reclaimlab.report;

import java.util.List;

/**
 * One comparison in a report, with its verdicts, charts and flame graphs (pre-rendered SVG; no flame graphs when no
 * iteration was profiled).
 */
public record Section(String title, Comparison comparison, List<VerdictResult> verdicts, Headline headline,
                      List<ChartSpec> charts, List<String> flameGraphs) {
    public Section {
        verdicts = List.copyOf(verdicts);
        charts = List.copyOf(charts);
        flameGraphs = List.copyOf(flameGraphs);
    }
}
