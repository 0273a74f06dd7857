package dev.reclaimlab.bisect;

import java.util.Arrays;
import java.util.Locale;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Two sets of samples of one metric compared the way Chromium's Pinpoint does: a rank test (Mann–Whitney U) for a
 * shift and a distribution test (two-sample Kolmogorov–Smirnov) for a change of shape, taking the smaller p. Repeats of
 * a storm are few and often bimodal, so neither test assumes a distribution.
 *
 * @param percent change of the median from {@code base} to {@code other}, in percent of the base's (NaN when the base's
 *                median is 0 and the other's is not: no percentage says how much)
 * @param p       the smaller of the two tests' two-sided p values; NaN with fewer than two samples on a side
 */
public record Compared(int baseN, int otherN, double baseMedian, double otherMedian, double percent, double p) {

    public static Compared of(double[] base, double[] other) {
        double baseMedian = median(base);
        double otherMedian = median(other);
        double percent = baseMedian == 0 ? (otherMedian == 0 ? 0 : Double.NaN)
                : 100 * (otherMedian - baseMedian) / Math.abs(baseMedian);
        return new Compared(base.length, other.length, baseMedian, otherMedian, percent, pValue(base, other));
    }

    static double pValue(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return Double.NaN;
        }
        if (spread(a) == 0 && spread(b) == 0) {
            // no spread on either side: ranks and distributions say nothing; equal values are no change
            return a[0] == b[0] ? 1 : 0;
        }
        double rank = MannWhitneyUTest.withDefaults().test(a, b).getPValue();
        double shape = KolmogorovSmirnovTest.withDefaults().test(a, b).getPValue();
        return Math.min(rank, shape);
    }

    /**
     * The smallest p the tests can give for {@code n} against {@code m} samples (complete separation): with 3 against
     * 3 it is 0.1, so no difference can be significant at 0.05 however large; 4 against 4 gives 0.029.
     */
    public static double floor(int n, int m) {
        double ways = 1; // C(n + m, n)
        for (int i = 1; i <= n; i++) {
            ways = ways * (m + i) / i;
        }
        return Math.min(1, 2 / ways);
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double spread(double[] values) {
        return Arrays.stream(values).max().orElse(0) - Arrays.stream(values).min().orElse(0);
    }

    /** {@code +41.2% (p=0.0079, 5 vs 5)} */
    public String describe() {
        return (Double.isNaN(percent) ? "0 → " + Spread.number(otherMedian) : String.format(Locale.ROOT, "%+.1f%%", percent))
                + (Double.isNaN(p) ? ", not judged (fewer than 2 repeats)" : String.format(Locale.ROOT, " (p=%.2g", p)
                + ", " + baseN + " vs " + otherN + ")");
    }
}
