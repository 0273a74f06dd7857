package dev.reclaimlab.report;

import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * How one side differs from the baseline on one metric.
 *
 * @param percent     change of the mean in percent; NaN when the baseline mean is 0 and the side's is not
 * @param pValue      the Mann–Whitney U test's (two-sided); NaN when it cannot be judged. A rank test, because
 *                    reclaim counts across repeats are often bimodal (ANON events at swappiness 100 were 11, 11,
 *                    457, 502, 516 in one run), where a t-test's normality assumption fails: Welch gave p = 0.064
 *                    for that against five zeros, although every repeat of one side exceeded every one of the other
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
            // No spread at all: ranks carry no information; identical means are no change, different ones are.
            p = base.mean() == side.mean() ? 1 : 0;
        } else {
            p = MannWhitneyUTest.withDefaults().test(toArray(base), toArray(side)).getPValue();
        }
        boolean bigEnough = Double.isNaN(percent) || Math.abs(percent) >= noisePercent;
        return new Change(percent, p, true, p < ALPHA && bigEnough);
    }

    /**
     * The smallest two-sided p the rank test can give with {@code n} against {@code m} repeats: every value of one
     * side beyond every value of the other is one ordering in C(n+m, n), counted at both ends. 4 against 4: 2/70 =
     * 0.029, so a change that clear cannot look any more significant however large it is.
     */
    public static double smallestP(int n, int m) {
        if (n < 1 || m < 1) {
            return 1;
        }
        double orderings = 1;
        for (int i = 1; i <= Math.min(n, m); i++) {
            orderings = orderings * (n + m - Math.min(n, m) + i) / i;
        }
        return Math.min(1, 2 / orderings);
    }

    private static double[] toArray(Summary summary) {
        return summary.values().stream().mapToDouble(Double::doubleValue).toArray();
    }
}
