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
        List<Optional<String>> lossy = sides.stream().map(side -> tooLossy(side, spec.maxLostPercent())).toList();
        for (VerdictSpec.Threshold condition : spec.storm()) {
            Optional<MetricRow> row = comparison.row(condition.metric());
            for (int i = 0; i < sides.size(); i++) {
                if (lossy.get(i).isPresent()) {
                    results.add(new VerdictResult("storm", condition.toString(), sides.get(i).label(), false, false,
                            lossy.get(i).get()));
                    continue;
                }
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
                Optional<String> refused = lossy.get(i).or(() -> lossy.get(0).map(why -> "baseline " + why));
                if (refused.isPresent()) {
                    results.add(new VerdictResult("regression", limit.toString(), sides.get(i).label(), false, false,
                            refused.get()));
                    continue;
                }
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

    /** Why {@code side} cannot be judged for lost events, if it cannot: its lossiest repeat past the limit. */
    static Optional<String> tooLossy(Side side, double limitPercent) {
        LostEvents worst = null;
        int over = 0;
        for (Sample sample : side.samples()) {
            Optional<LostEvents> lost = LostEvents.of(sample);
            if (lost.isPresent() && lost.get().percent() > limitPercent) {
                over++;
                if (worst == null || lost.get().percent() > worst.percent()) {
                    worst = lost.get();
                }
            }
        }
        if (worst == null) {
            return Optional.empty();
        }
        return Optional.of("not judged: " + over + " of " + side.samples().size() + " repeat"
                + (side.samples().size() == 1 ? "" : "s") + " lost more than " + Figures.share(limitPercent)
                + " of their events (worst " + worst.describe() + ")");
    }
}
