package dev.reclaimlab.plan;

import java.math.BigDecimal;

/** Plain decimal numbers and percentages as plans write them ({@code 1000}, {@code 2.5}, {@code 20%}). */
public final class PlanNumbers {
    private PlanNumbers() {}

    /** Without a trailing {@code .0}: 20 rather than 20.0, 2.5 as is. */
    public static String format(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
