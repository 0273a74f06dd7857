package dev.reclaimlab.analysis;

/**
 * Totals that stop at {@link Long#MAX_VALUE} instead of wrapping to a negative number. Only non-negative values are
 * ever added, and for those stopping at the ceiling gives the same total in whatever order and grouping the values
 * arrive (min(ceiling, sum)), so chunked and single passes still agree. A total at the ceiling is reported as
 * overflowed: a lower bound, not a figure.
 */
final class Saturating {
    private Saturating() {}

    /** {@code total + value} for non-negative arguments, or {@link Long#MAX_VALUE} past it. */
    static long add(long total, long value) {
        long sum = total + value;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** 1 if {@code total} reached the ceiling, else 0: for counting overflowed totals. */
    static int hit(long total) {
        return total == Long.MAX_VALUE ? 1 : 0;
    }
}
