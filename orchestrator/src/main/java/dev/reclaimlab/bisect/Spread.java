package dev.reclaimlab.bisect;

import java.util.Arrays;
import java.util.Locale;

/** How much an endpoint's samples of one metric vary: the stability a bisect needs before it judges by them. */
public record Spread(int n, double mean, double stddev, double min, double max) {
    public static Spread of(double[] values) {
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        double squares = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
        double stddev = values.length < 2 ? 0 : Math.sqrt(squares / (values.length - 1));
        return new Spread(values.length, mean, stddev, Arrays.stream(values).min().orElse(Double.NaN),
                Arrays.stream(values).max().orElse(Double.NaN));
    }

    /** Standard deviation in percent of the mean; 0 when nothing varies. */
    public double relativePercent() {
        if (stddev == 0) {
            return 0;
        }
        return mean == 0 ? Double.POSITIVE_INFINITY : 100 * stddev / Math.abs(mean);
    }

    /** {@code 1,234 ± 56 (4.5%, n=5, 1,180–1,301)} */
    public String describe() {
        return String.format(Locale.ROOT, "%s ± %s (%.1f%%, n=%d, %s–%s)", number(mean), number(stddev),
                relativePercent(), n, number(min), number(max));
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        if (Math.abs(v) >= 100 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
