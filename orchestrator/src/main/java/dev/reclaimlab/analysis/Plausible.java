package dev.reclaimlab.analysis;

/**
 * Bounds past which a value in a trace line cannot be real. A line that crosses one is counted as malformed and
 * skipped, never summed: one crafted or corrupted line must not decide a total.
 */
final class Plausible {
    /**
     * Pages or objects one event can count (nr_reclaimed, nr_scanned, a shrinker's return value): 2^40 pages are
     * 4 PiB of 4 KiB pages, more memory than any machine has. It also keeps sums far from overflow: 2^23 values this
     * large are needed to reach 2^63.
     */
    static final long MAX_COUNT = 1L << 40;
    /**
     * Events one {@code [LOST M EVENTS]} line can report: 2^40 is more than a day of 10 million events a second. A
     * count past it (or past 18 digits: a negative count printed unsigned) is a wrapped counter, not a loss.
     */
    static final long MAX_LOST = 1L << 40;
    /** CPU numbers: NR_CPUS is at most 8192 on every architecture Linux builds for; twice that leaves room. */
    static final int MAX_CPUS = 1 << 14;
    /** Bytes of a shrinker's function name: a kernel symbol is at most KSYM_NAME_LEN (512 since 6.1) long. */
    static final int MAX_SYMBOL = 512;

    private Plausible() {}
}
