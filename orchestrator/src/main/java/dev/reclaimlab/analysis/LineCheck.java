package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.Bytes;

/**
 * Why a line is skipped, as small ints (the per-line path returns them, no objects): a value missing or unreadable
 * (cut, garbled lines), or a value that cannot be real ({@link Plausible}). The ones past {@link #MISSING} are
 * counted apart as malformed, and their sample lines say why.
 */
final class LineCheck {
    static final int OK = 0;
    /** Not a readable event: cut, garbled, another tracer's output, a value it must have is absent. */
    static final int MISSING = 1;
    /** A count printed negative: the kernel prints them unsigned. */
    static final int NEGATIVE = 2;
    /** A count beyond {@link Plausible#MAX_COUNT}, or a shrinker name longer than a kernel symbol. */
    static final int IMPLAUSIBLE = 3;
    /** A {@code [LOST M EVENTS]} count beyond {@link Plausible#MAX_LOST} or too long to read: a wrapped counter. */
    static final int LOST_COUNT = 4;
    /** A CPU number no kernel has ({@link Plausible#MAX_CPUS}). */
    static final int NO_SUCH_CPU = 5;
    /** Earlier than the line before it on the same CPU ({@link CpuClocks}). */
    static final int BACKWARDS = 6;
    static final int COUNT = 7;

    private static final String[] SHOWN = {"", "", "(negative value) ", "(implausible value) ",
        "(implausible lost count) ", "(no such CPU) ", "(time goes back on its CPU) "};

    private LineCheck() {}

    /** A count read from the line: absent, negative, too large, or fine. */
    static int ofCount(long value) {
        if (value == Bytes.NO_NUMBER) {
            return MISSING;
        }
        return value < 0 ? NEGATIVE : value > Plausible.MAX_COUNT ? IMPLAUSIBLE : OK;
    }

    /** A shrinker's function name of {@code length} bytes. */
    static int ofName(int length) {
        return length == 0 ? MISSING : length > Plausible.MAX_SYMBOL ? IMPLAUSIBLE : OK;
    }

    /** Of two verdicts, the one to report: a missing value first, then the order above. */
    static int worse(int a, int b) {
        return a == OK ? b : b == OK ? a : Math.min(a, b);
    }

    /** What a sample of a line skipped for this reason starts with. */
    static String shown(int verdict) {
        return SHOWN[verdict];
    }
}
