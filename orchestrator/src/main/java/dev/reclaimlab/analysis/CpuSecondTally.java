package dev.reclaimlab.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 000 §6's table for every CPU: per CPU and per whole second of the trace clock, the memcg reclaims that ended
 * there and how many pages each freed. Unlike the seed's program it also prints each CPU's last second, keeps
 * "32 or more" apart from "31", and does not assume a CPU's seconds arrive in order. One row per (CPU, second)
 * that had a reclaim: memory follows the trace's duration, not its size.
 */
final class CpuSecondTally {
    /** count, sum, then one slot per nr_reclaimed 0..31, then 32 or more. */
    private static final int COUNT = 0;
    private static final int SUM = 1;
    private static final int VALUES = 2;
    private static final int GE32 = VALUES + 32;
    private static final int WIDTH = GE32 + 1;

    private final Map<Long, long[]> rows = new HashMap<>();
    private long lastKey = -1;
    private long[] lastRow;

    void record(int cpu, long timestampNs, long nrReclaimed) {
        long second = Math.floorDiv(timestampNs, 1_000_000_000L);
        long key = (long) cpu << 36 | (second & ((1L << 36) - 1));
        long[] row;
        if (key == lastKey) {
            row = lastRow;
        } else {
            row = rows.computeIfAbsent(key, k -> new long[WIDTH]);
            lastKey = key;
            lastRow = row;
        }
        row[COUNT]++;
        row[SUM] = Saturating.add(row[SUM], nrReclaimed);
        row[nrReclaimed >= 0 && nrReclaimed < 32 ? VALUES + (int) nrReclaimed : GE32]++;
    }

    void absorb(CpuSecondTally other) {
        other.rows.forEach((key, row) -> {
            long[] mine = rows.computeIfAbsent(key, k -> new long[WIDTH]);
            for (int i = 0; i < WIDTH; i++) {
                mine[i] = Saturating.add(mine[i], row[i]);
            }
        });
    }

    /** Rows whose sum of nr_reclaimed overflowed. */
    long overflowedTotals() {
        long n = 0;
        for (long[] row : rows.values()) {
            n += Saturating.hit(row[SUM]);
        }
        return n;
    }

    /** Rows by CPU, then second. */
    List<TraceMetrics.CpuSecond> metrics() {
        List<Long> keys = new ArrayList<>(rows.keySet());
        keys.sort(null);
        List<TraceMetrics.CpuSecond> out = new ArrayList<>(keys.size());
        for (long key : keys) {
            long[] row = rows.get(key);
            long[] counts = new long[32];
            System.arraycopy(row, VALUES, counts, 0, 32);
            out.add(new TraceMetrics.CpuSecond((int) (key >>> 36), key & ((1L << 36) - 1), row[COUNT],
                    NrReclaimedTally.round(row[SUM] / (double) row[COUNT], 2), row[COUNT] - row[GE32], row[GE32],
                    counts));
        }
        return out;
    }
}
