package dev.reclaimlab.nightly;

import dev.reclaimlab.bisect.Compared;
import dev.reclaimlab.bisect.Criterion;
import dev.reclaimlab.history.BaselineKey;

/**
 * One metric of one variant of a night against its baseline.
 *
 * @param compared the samples compared; null when they could not be (the reason is in {@code why})
 * @param why      the figures, or why there are none: {@code +41.2% (p=0.0079, 9 vs 4)}
 */
public record Judgement(BaselineKey key, Criterion criterion, Outcome outcome, Compared compared, String why) {
    public String metric() {
        return criterion.metric();
    }
}
