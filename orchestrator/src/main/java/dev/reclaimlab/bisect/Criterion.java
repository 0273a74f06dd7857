package dev.reclaimlab.bisect;

import dev.reclaimlab.plan.PlanNumbers;
import dev.reclaimlab.plan.VerdictSpec;

/**
 * A metric and the change of it that the plan's verdict counts as a regression: what a bisect looks for.
 *
 * @param increase a rise is the regression (latency, reclaim calls); false: a fall (throughput)
 * @param percent  the smallest change, against the good endpoint, that counts
 */
public record Criterion(String metric, boolean increase, double percent) {
    public static Criterion of(VerdictSpec.ChangeLimit limit) {
        return new Criterion(limit.metric(), limit.increase(), limit.percent());
    }

    /** Whether a change of {@code changePercent} goes the regression's way by at least its size. */
    public boolean regressed(double changePercent) {
        if (Double.isNaN(changePercent)) { // from 0: any rise is beyond every percentage
            return increase;
        }
        return increase ? changePercent >= percent : changePercent <= -percent;
    }

    @Override
    public String toString() {
        return metric + (increase ? " +" : " -") + PlanNumbers.format(percent) + "%";
    }
}
