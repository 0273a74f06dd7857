package dev.reclaimlab.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seed 000 §6's table for every CPU: per CPU and per whole second of the trace clock, the memcg reclaims that ended
 * there and how many pages each freed. Unlike the seed's program it also prints each CPU's last second, keeps
 * "32 or more" apart from "31", and does not assume a CPU's seconds arrive in order. One row per (CPU, second)
 * that had a reclaim: memory follows the trace's duration, not its size, up to {@code limit} rows. Past that the
 * whole trace's table counts the reclaims it cannot place ({@link #dropped}); a chunk parsed ahead gives up instead
 * ({@link #overflowed}), to be parsed again in place. Rows are kept in the order they first appear, and merged in that
 * order, so the rows that fit are the first ones of the file however it was split.
 *
 * <p>Rows are found through an open-addressing table of long keys: a {@code HashMap<Long, ...>} hashed
 * {@code cpu << 36 | second} into few buckets (Long's hash folds the CPU onto the second), and a full table of
 * distinct rows spent most of its time in collision trees.
 */
final class CpuSecondTally {
    /** count, sum, then one slot per nr_reclaimed 0..31, then 32 or more. */
    private static final int COUNT = 0;
    private static final int SUM = 1;
    private static final int VALUES = 2;
    private static final int GE32 = VALUES + 32;
    private static final int WIDTH = GE32 + 1;
    private static final long EMPTY = -1;

    private final int limit;
    private final boolean ahead;
    /** Per slot, a row's key and its index in {@link #rows}; keys are never negative. */
    private long[] slotKeys = filled(64);
    private int[] slotRows = new int[64];
    /** Rows and their keys in the order they first appeared. */
    private long[][] rows = new long[16][];
    private long[] rowKeys = new long[16];
    private int size;
    private long lastKey = EMPTY;
    private long[] lastRow;
    private boolean overflowed;
    /** Reclaims whose row did not fit. */
    long dropped;

    /** {@code ahead}: a chunk parsed ahead, which gives up past {@code limit} rows rather than drop any. */
    CpuSecondTally(int limit, boolean ahead) {
        this.limit = limit;
        this.ahead = ahead;
    }

    void record(int cpu, long timestampNs, long nrReclaimed) {
        long second = Math.floorDiv(timestampNs, 1_000_000_000L);
        long key = (long) cpu << 36 | (second & ((1L << 36) - 1));
        long[] row;
        if (key == lastKey) {
            row = lastRow;
        } else {
            row = row(key);
            if (row == null) {
                if (ahead) {
                    overflowed = true;
                } else {
                    dropped++;
                }
                return;
            }
            lastKey = key;
            lastRow = row;
        }
        row[COUNT]++;
        row[SUM] = Saturating.add(row[SUM], nrReclaimed);
        row[nrReclaimed >= 0 && nrReclaimed < 32 ? VALUES + (int) nrReclaimed : GE32]++;
    }

    /** The row of {@code key}, made if there is room; null when there is not. */
    private long[] row(long key) {
        int mask = slotKeys.length - 1;
        int i = slot(key, mask);
        while (slotKeys[i] != EMPTY) {
            if (slotKeys[i] == key) {
                return rows[slotRows[i]];
            }
            i = (i + 1) & mask;
        }
        return size < limit ? add(key, i) : null;
    }

    private long[] add(long key, int slot) {
        if (size == rows.length) {
            rows = Arrays.copyOf(rows, size * 2);
            rowKeys = Arrays.copyOf(rowKeys, size * 2);
        }
        long[] row = new long[WIDTH];
        rows[size] = row;
        rowKeys[size] = key;
        slotKeys[slot] = key;
        slotRows[slot] = size;
        size++;
        if (size * 2 > slotKeys.length) {
            rehash();
        }
        return row;
    }

    private void rehash() {
        slotKeys = filled(slotKeys.length * 2);
        slotRows = new int[slotKeys.length];
        int mask = slotKeys.length - 1;
        for (int r = 0; r < size; r++) {
            int i = slot(rowKeys[r], mask);
            while (slotKeys[i] != EMPTY) {
                i = (i + 1) & mask;
            }
            slotKeys[i] = rowKeys[r];
            slotRows[i] = r;
        }
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }

    private static long[] filled(int n) {
        long[] a = new long[n];
        Arrays.fill(a, EMPTY);
        return a;
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Another chunk's rows, in the order they first appeared there. */
    void absorb(CpuSecondTally other) {
        for (int r = 0; r < other.size; r++) {
            long[] theirs = other.rows[r];
            long[] mine = row(other.rowKeys[r]);
            if (mine == null) {
                dropped += theirs[COUNT];
                continue;
            }
            for (int i = 0; i < WIDTH; i++) {
                mine[i] = Saturating.add(mine[i], theirs[i]);
            }
        }
        dropped += other.dropped;
    }

    /** Rows whose sum of nr_reclaimed overflowed. */
    long overflowedTotals() {
        long n = 0;
        for (int r = 0; r < size; r++) {
            n += Saturating.hit(rows[r][SUM]);
        }
        return n;
    }

    /** Rows by CPU, then second. */
    List<TraceMetrics.CpuSecond> metrics() {
        Integer[] order = new Integer[size];
        for (int r = 0; r < size; r++) {
            order[r] = r;
        }
        Arrays.sort(order, (a, b) -> Long.compare(rowKeys[a], rowKeys[b]));
        List<TraceMetrics.CpuSecond> out = new ArrayList<>(size);
        for (int r : order) {
            long key = rowKeys[r];
            long[] row = rows[r];
            long[] counts = new long[32];
            System.arraycopy(row, VALUES, counts, 0, 32);
            out.add(new TraceMetrics.CpuSecond((int) (key >>> 36), key & ((1L << 36) - 1), row[COUNT],
                    NrReclaimedTally.round(row[SUM] / (double) row[COUNT], 2), row[COUNT] - row[GE32], row[GE32],
                    counts));
        }
        return out;
    }
}
