package dev.reclaimlab.analysis;

import java.util.Arrays;

/**
 * Per CPU, the timestamp of its last event line. A CPU writes its ring buffer in time order, so a line earlier than
 * the one before it on the same CPU is damage (a reordered, corrupted or spliced line): it is counted as malformed and
 * skipped, never paired or summed. Each line is compared with the one just before it on its CPU, whatever became of
 * that one, so a single wrong timestamp costs at most two lines (itself, or the next one if it jumped forward).
 *
 * <p>A chunk parsed ahead does not know where each CPU's clock stood before it: it takes its first line on each CPU as
 * in order and remembers that timestamp; the merge checks it ({@link #follows}) and, if it was wrong, parses the chunk
 * again in place, where this table is the whole trace's.
 */
final class CpuClocks {
    private static final long NONE = Long.MIN_VALUE;

    private final boolean ahead;
    private long[] last = new long[0];
    /** A chunk parsed ahead: each CPU's first timestamp in it. */
    private long[] first = new long[0];

    /** {@code ahead}: the clocks of a chunk parsed ahead; otherwise the whole trace's. */
    CpuClocks(boolean ahead) {
        this.ahead = ahead;
    }

    /** Notes an event line on {@code cpu} (below {@link Plausible#MAX_CPUS}); false if it goes back in time. */
    boolean inOrder(int cpu, long ts) {
        if (cpu >= last.length) {
            grow(cpu);
        }
        long before = last[cpu];
        last[cpu] = ts;
        if (before == NONE) {
            if (ahead) {
                first[cpu] = ts;
            }
            return true;
        }
        return ts >= before;
    }

    /** Kept out of {@link #inOrder} so the just-in-time compiler does not inline a cold path into the hot one. */
    private void grow(int cpu) {
        int n = Math.max(8, Integer.highestOneBit(cpu) << 1);
        int from = last.length;
        last = Arrays.copyOf(last, n);
        Arrays.fill(last, from, n, NONE);
        if (ahead) {
            first = Arrays.copyOf(first, n);
            Arrays.fill(first, from, n, NONE);
        }
    }

    /** Whether a chunk parsed ahead, next in file order, was right to take its first line on each CPU as in order. */
    boolean follows(CpuClocks chunk) {
        for (int cpu = 0; cpu < chunk.first.length && cpu < last.length; cpu++) {
            if (chunk.first[cpu] != NONE && last[cpu] != NONE && chunk.first[cpu] < last[cpu]) {
                return false;
            }
        }
        return true;
    }

    /** The next chunk in file order, parsed ahead: each CPU's clock now stands where that chunk left it. */
    void absorb(CpuClocks chunk) {
        for (int cpu = 0; cpu < chunk.last.length; cpu++) {
            if (chunk.last[cpu] != NONE) {
                if (cpu >= last.length) {
                    grow(cpu);
                }
                last[cpu] = chunk.last[cpu];
            }
        }
    }
}
