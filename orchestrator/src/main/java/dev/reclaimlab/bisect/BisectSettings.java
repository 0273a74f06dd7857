package dev.reclaimlab.bisect;

import dev.reclaimlab.plan.VerdictSpec;
import java.util.List;

/**
 * What a bisect was asked, fixed when it starts and kept in {@code bisect.json}: a resumed or re-reported bisect
 * judges with exactly these.
 *
 * @param plan             the plan file as given
 * @param planSha256       its content's checksum: {@code --resume} refuses a plan that changed since
 * @param candidates       the kernels, in the order the regression is assumed to have arrived
 * @param good             index of the good endpoint
 * @param bad              index of the bad endpoint
 * @param repeats          repeats per batch
 * @param maxRepeats       repeats a candidate may get in all before an unknown verdict makes it skipped
 * @param maxSpreadPercent an endpoint whose samples spread more than this (standard deviation, in percent of the mean)
 *                         is not stable enough to judge candidates by
 * @param criteria         the plan's regression limits: what counts as bad against the good endpoint
 * @param maxLostPercent   repeats whose trace lost more of its events than this are not samples
 */
public record BisectSettings(String plan, String planSha256, String host, List<Candidate> candidates, int good,
                             int bad, int repeats, int maxRepeats, double maxSpreadPercent, List<Criterion> criteria,
                             double maxLostPercent, VerdictSpec.WentDown wentDown) {
    /** Below this p, two sets of samples differ. */
    public static final double ALPHA = 0.05;
    /** LKP's bisect refuses a metric whose relative standard deviation on the endpoints passes 20%. */
    public static final double DEFAULT_MAX_SPREAD_PERCENT = 20;

    public BisectSettings {
        candidates = List.copyOf(candidates);
        criteria = List.copyOf(criteria);
    }
}
