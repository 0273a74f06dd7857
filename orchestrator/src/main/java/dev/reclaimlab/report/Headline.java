package dev.reclaimlab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a comparison comes to, said before any table: the plan's verdict, the significant changes ranked by size in
 * words with their figures, what the verdict names that did not change, and what the repeats can resolve at all.
 * The report shows it first, summary.json carries it, and {@code lab compare} prints it.
 *
 * @param verdict    one sentence on the plan's verdict
 * @param changes    every significant change against the baseline, largest first
 * @param unchanged  the metrics the verdict names that changed on no side
 * @param resolution what n against m repeats can show (the smallest p the rank test can reach)
 */
public record Headline(String verdict, List<Finding> changes, List<Finding> unchanged, String resolution) {
    /** The changes the headline names; the rest are counted ("and 12 more"). */
    public static final int SHOWN = 8;

    public Headline {
        changes = List.copyOf(changes);
        unchanged = List.copyOf(unchanged);
    }

    /**
     * One metric on one side against the baseline.
     *
     * @param text the sentence: {@code shrink_slab.count on 6.12.117-arm64: 14,290 → 454 (−97%), p = 0.029, 4 vs 4}
     */
    public record Finding(String metric, String side, double baseline, double value, double percent, double pValue,
                          int baselineRepeats, int repeats, boolean atFloor, String text) {}

    /** @param verdictMetrics the metrics the plan's verdict names, in its order */
    public static Headline of(Comparison comparison, List<VerdictResult> verdicts, List<String> verdictMetrics) {
        List<Side> sides = comparison.sides();
        boolean manySides = sides.size() > 2;
        List<Finding> changes = new ArrayList<>();
        List<Finding> unchanged = new ArrayList<>();
        for (MetricRow row : comparison.rows()) {
            boolean named = verdictMetrics.contains(row.path());
            boolean changedSomewhere = false;
            for (int i = 1; i < row.sides().size(); i++) {
                Change change = row.changes().get(i);
                if (change != null && change.significant()) {
                    changes.add(finding(row, i, sides.get(i).label(), manySides));
                    changedSomewhere = true;
                }
            }
            if (named && !changedSomewhere && row.sides().size() > 1 && row.changes().get(1) != null) {
                unchanged.add(finding(row, 1, sides.get(1).label(), manySides));
            }
        }
        changes.sort(Comparator.comparingDouble((Finding f) -> Double.isNaN(f.percent()) ? Double.MAX_VALUE
                : Math.abs(f.percent())).reversed());
        unchanged.sort(Comparator.comparingInt(f -> verdictMetrics.indexOf(f.metric())));
        return new Headline(verdictSentence(verdicts), changes, unchanged, resolution(comparison, changes));
    }

    private static Finding finding(MetricRow row, int side, String sideName, boolean nameSide) {
        Summary base = row.sides().get(0);
        Summary other = row.sides().get(side);
        Change change = row.changes().get(side);
        // No repeat of one side reaches the other's: the rank test can show no more than that, whatever the size
        // (with ties its approximate p lands near, not exactly on, the exact floor, so the data decide, not p).
        boolean atFloor = change.judged() && (other.max() < base.min() || other.min() > base.max());
        String stats = !change.judged() ? "not judged (one repeat)"
                : "p = " + Figures.pValue(change.pValue()) + ", " + base.n() + " vs " + other.n() + " repeats";
        String text = row.path() + (nameSide ? " on " + sideName : "") + ": " + Figures.readable(base.mean()) + " → "
                + Figures.readable(other.mean()) + " (" + Figures.change(change.percent()) + "), " + stats
                + (change.significant() ? "" : ": no significant change");
        return new Finding(row.path(), sideName, base.mean(), other.mean(), change.percent(), change.pValue(),
                base.n(), other.n(), atFloor, text);
    }

    private static String verdictSentence(List<VerdictResult> verdicts) {
        if (verdicts.isEmpty()) {
            return "The plan has no verdict: the changes below are what the repeats show.";
        }
        List<VerdictResult> failed = verdicts.stream().filter(VerdictResult::failed).toList();
        if (failed.isEmpty()) {
            return "Verdict: all " + verdicts.size() + " criteria hold"
                    + (verdicts.stream().anyMatch(v -> v.kind().equals("regression")) ? ", no regression." : ".");
        }
        List<String> what = new ArrayList<>();
        for (VerdictResult v : failed) {
            String answer = !v.judgeable() ? "cannot judge" : v.kind().equals("regression") ? "REGRESSION" : "fails";
            what.add(answer + ": " + v.criterion() + " on " + v.side() + " (" + v.figures() + ")");
        }
        return "Verdict: " + failed.size() + " of " + verdicts.size() + " criteria failed. " + String.join("; ", what)
                + ".";
    }

    /** The floor of the rank test for these repeats, and whether the changes found sit on it. */
    private static String resolution(Comparison comparison, List<Finding> changes) {
        List<Side> sides = comparison.sides();
        if (sides.size() < 2) {
            return "";
        }
        int n = sides.get(0).measured();
        int m = sides.subList(1, sides.size()).stream().mapToInt(Side::measured).min().orElse(0);
        if (n < 2 || m < 2) {
            return "With " + n + " vs " + m + " repeats no change can be judged; 4 vs 4 would let the rank test reach"
                    + " p = " + Figures.pValue(Change.smallestP(4, 4)) + ".";
        }
        double floor = Change.smallestP(n, m);
        String base = "With " + n + " vs " + m + " repeats the smallest p the rank test can give is "
                + Figures.pValue(floor);
        if (!changes.isEmpty() && changes.stream().allMatch(Finding::atFloor)) {
            int more = Math.max(n, m) + 2;
            return base + ", and every significant change is there: they are as far apart as these repeats can show,"
                    + " so their p values do not rank them. " + more + " vs " + more + " repeats would reach "
                    + Figures.pValue(Change.smallestP(more, more)) + ".";
        }
        return base + ".";
    }

    /** The headline as lines for a terminal, the way {@code lab compare} prints it first. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(verdict);
        if (changes.isEmpty()) {
            lines.add("No significant change.");
        } else {
            lines.add("Significant changes, largest first:");
            changes.stream().limit(SHOWN).forEach(f -> lines.add("  " + f.text()));
            if (changes.size() > SHOWN) {
                lines.add("  and " + (changes.size() - SHOWN) + " more (see the report)");
            }
        }
        if (!unchanged.isEmpty()) {
            lines.add("Named by the verdict, unchanged:");
            unchanged.forEach(f -> lines.add("  " + f.text()));
        }
        if (!resolution.isEmpty()) {
            lines.add(resolution);
        }
        return lines;
    }

    /** The metric paths a verdict's criteria name. */
    public static List<String> metricsOf(dev.reclaimlab.plan.VerdictSpec spec) {
        List<String> metrics = new ArrayList<>();
        spec.storm().forEach(t -> metrics.add(t.metric()));
        spec.regression().forEach(l -> metrics.add(l.metric()));
        return List.copyOf(new java.util.LinkedHashSet<>(metrics));
    }
}
