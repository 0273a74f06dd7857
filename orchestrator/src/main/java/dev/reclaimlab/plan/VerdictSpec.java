package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Location;
import java.util.List;

/**
 * What a plan counts as a result, so reports and nightly jobs can say yes or no instead of leaving people to read
 * tables: when the storm counts as reproduced on a side, and what change against the baseline is a regression.
 *
 * @param storm        every condition must hold on a side for the storm to count as reproduced there
 * @param regression   any of these against the baseline (the first side) is a regression
 * @param noisePercent changes smaller than this never count, however significant (LKP and mmtests do the same)
 * @param maxLostPercent a side with a repeat whose trace lost more of its events than this is not judged: its
 *                       latencies and rates may be made of gaps
 * @param wentDown       what a kernel that panicked or hung under the workload counts as when kernels are judged
 *                       against each other ({@code lab bisect}, nightly jobs)
 */
public record VerdictSpec(List<Threshold> storm, List<ChangeLimit> regression, double noisePercent,
                          double maxLostPercent, WentDown wentDown) {
    public VerdictSpec {
        storm = List.copyOf(storm);
        regression = List.copyOf(regression);
    }


    public static final double DEFAULT_NOISE_PERCENT = 5.0;
    /** A thousandth of the events: beyond that, a storm's figures are no longer trusted. */
    public static final double DEFAULT_MAX_LOST_PERCENT = 0.1;

    public static VerdictSpec none() {
        return new VerdictSpec(List.of(), List.of(), DEFAULT_NOISE_PERCENT, DEFAULT_MAX_LOST_PERCENT,
                WentDown.REGRESSION);
    }

    /**
     * A panic or hang during the workload is a result, never silently dropped: by default a regression (the storm's
     * worst symptom); {@code unknown} when the plan's own metrics must decide and a kernel that went down cannot say.
     */
    public enum WentDown { REGRESSION, UNKNOWN }

    /** A metric compared with a fixed value, e.g. {@code memcg_reclaim.latency_us.p99 above 1000}. */
    public record Threshold(String metric, boolean above, double value, Location at) {
        @Override
        public String toString() {
            return metric + (above ? " > " : " < ") + PlanNumbers.format(value);
        }
    }

    /** A change against the baseline, e.g. {@code memcg_reclaim.latency_us.p99 increase by more than 20%}. */
    public record ChangeLimit(String metric, boolean increase, double percent, Location at) {
        @Override
        public String toString() {
            return metric + (increase ? " +" : " -") + PlanNumbers.format(percent) + "% or more";
        }
    }
}
