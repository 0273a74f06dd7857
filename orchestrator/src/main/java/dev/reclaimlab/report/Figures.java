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

    /** As {@link #number}, with thousands grouped, for sentences: {@code 14,290}. */
    static String readable(double value) {
        if (!Double.isNaN(value) && value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return number(value);
    }

    /** A p value as people quote it: {@code 0.029}, {@code 0.00016}. */
    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return "n/a";
        }
        String text = String.format(Locale.ROOT, "%.2g", p);
        return text.contains(".") && !text.contains("e") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }

    /** A share, unsigned: {@code 77.1%}, {@code 0.0123%}. */
    static String share(double percent) {
        return String.format(Locale.ROOT, percent >= 10 ? "%.1f%%" : "%.3g%%", percent);
    }

    static String percent(double value) {
        return Double.isNaN(value) ? "new (baseline 0)" : String.format(Locale.ROOT, "%+.1f%%", value);
    }

    /** A change in a sentence: whole percent once it is large, with a real minus sign: {@code −97%}. */
    static String change(double value) {
        if (Double.isNaN(value)) {
            return "from 0";
        }
        String text = String.format(Locale.ROOT, Math.abs(value) >= 10 ? "%+.0f%%" : "%+.1f%%", value);
        return text.replace('-', '\u2212');
    }
}
