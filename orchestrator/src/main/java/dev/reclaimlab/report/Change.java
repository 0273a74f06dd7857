package dev.reclaimlab.report;

import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * How one side differs from the baseline on one metric.
 *
 * @param percent     change of the mean in percent; NaN when the baseline mean is 0 and the side's is not
 * @param pValue      Welch's t-test (unequal variances); NaN when it cannot be judged
 * @param judged      both sides have at least two repeats: with one, significance cannot be judged
 * @param significant judged, p below {@link #ALPHA}, and the change at least the noise threshold
 */
public record Change(double percent, double pValue, boolean judged, boolean significant) {
    public static final double ALPHA = 0.05;

    public static Change between(Summary base, Summary side, double noisePercent) {
        double percent = base.mean() == 0 ? (side.mean() == 0 ? 0 : Double.NaN)
                : 100 * (side.mean() - base.mean()) / Math.abs(base.mean());
        boolean judged = base.n() >= 2 && side.n() >= 2;
        if (!judged) {
            return new Change(percent, Double.NaN, false, false);
        }
        double p;
        if (base.stddev() == 0 && side.stddev() == 0) {
            // No spread at all: the t statistic is undefined; identical means are no change, different ones are.
            p = base.mean() == side.mean() ? 1 : 0;
        } else {
            p = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC).test(toArray(base), toArray(side)).getPValue();
        }
        boolean bigEnough = Double.isNaN(percent) || Math.abs(percent) >= noisePercent;
        return new Change(percent, p, true, p < ALPHA && bigEnough);
    }

    private static double[] toArray(Summary summary) {
        return summary.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
