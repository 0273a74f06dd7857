package dev.reclaimlab.report;

import dev.reclaimlab.plan.VerdictSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Judges a comparison by the plan's verdict: storm reproduced per side, regressions against the baseline. */
public final class Verdicts {
    private Verdicts() {}

    public static List<VerdictResult> judge(VerdictSpec spec, Comparison comparison) {
        List<VerdictResult> results = new ArrayList<>();
        List<Side> sides = comparison.sides();
        for (VerdictSpec.Threshold condition : spec.storm()) {
            Optional<MetricRow> row = comparison.row(condition.metric());
            for (int i = 0; i < sides.size(); i++) {
                if (row.isEmpty() || row.get().sides().get(i).n() == 0) {
                    results.add(new VerdictResult("storm", condition.toString(), sides.get(i).label(), false, false,
                            "no " + condition.metric() + " on this side"));
                    continue;
                }
                Summary summary = row.get().sides().get(i);
                boolean holds = condition.above() ? summary.mean() > condition.value() : summary.mean() < condition.value();
                results.add(new VerdictResult("storm", condition.toString(), sides.get(i).label(), holds, true,
                        "mean " + Figures.number(summary.mean()) + " over " + summary.n() + " repeat" + (summary.n() == 1 ? "" : "s")));
            }
        }
        for (VerdictSpec.ChangeLimit limit : spec.regression()) {
            Optional<MetricRow> row = comparison.row(limit.metric());
            for (int i = 1; i < sides.size(); i++) {
                final int index = i;
                Change change = row.map(r -> r.changes().get(index)).orElse(null);
                if (change == null) {
                    results.add(new VerdictResult("regression", limit.toString(), sides.get(i).label(), false, false,
                            "no " + limit.metric() + " on both sides"));
                    continue;
                }
                if (!change.judged()) {
                    results.add(new VerdictResult("regression", limit.toString(), sides.get(i).label(), false, false,
                            "change " + Figures.percent(change.percent()) + "; needs at least 2 repeats per side to judge"));
                    continue;
                }
                boolean beyond = limit.increase() ? change.percent() > limit.percent() : change.percent() < -limit.percent();
                boolean regressed = beyond && change.significant();
                results.add(new VerdictResult("regression", limit.toString(), sides.get(i).label(), regressed, true,
                        "change " + Figures.percent(change.percent()) + ", p=" + String.format(Locale.ROOT, "%.3g", change.pValue())
                                + (change.significant() ? " (significant)" : " (not significant)")));
            }
        }
        return results;
    }
}
