package dev.reclaimlab.report;

import java.util.Locale;

/** How figures read in tables and verdicts: exact integers stay whole, others get four significant digits. */
final class Figures {
    private Figures() {}

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    /** A share, unsigned: {@code 77.1%}, {@code 0.0123%}. */
    static String share(double percent) {
        return String.format(Locale.ROOT, percent >= 10 ? "%.1f%%" : "%.3g%%", percent);
    }

    static String percent(double value) {
        return Double.isNaN(value) ? "new (baseline 0)" : String.format(Locale.ROOT, "%+.1f%%", value);
    }
}
