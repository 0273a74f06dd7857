package dev.reclaimlab.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** {@code mm_vmscan_lru_shrink_inactive}: ANON vs FILE events, pages scanned and reclaimed, reclaim priority. */
final class LruTally {
    static final int ANON = 0;
    static final int FILE = 1;
    static final int OTHER = 2;
    private static final int PRIORITIES = 64;

    final long[] events = new long[3];
    final long[] scanned = new long[3];
    final long[] reclaimed = new long[3];
    /** Kernel priorities run 12 (DEF_PRIORITY, a light scan) down to 0 (everything); garbage may say anything. */
    final long[] priority = new long[PRIORITIES];
    /**
     * Priorities outside 0..63, in the order first seen, at most {@code limit} of them: beyond that the whole trace's
     * table counts the events ({@link #dropped}) and a chunk parsed ahead gives up ({@link #overflowed}).
     */
    final Map<Long, Long> otherPriority = new LinkedHashMap<>();
    private final int limit;
    private final boolean ahead;
    private boolean overflowed;
    long dropped;

    LruTally(int limit, boolean ahead) {
        this.limit = limit;
        this.ahead = ahead;
    }

    void record(int type, long nrScanned, long nrReclaimed, long prio) {
        events[type]++;
        scanned[type] = Saturating.add(scanned[type], nrScanned);
        reclaimed[type] = Saturating.add(reclaimed[type], nrReclaimed);
        if (prio >= 0 && prio < PRIORITIES) {
            priority[(int) prio]++;
        } else if (prio != dev.reclaimlab.trace.Bytes.NO_NUMBER) {
            oddPriority(prio, 1);
        }
    }

    private void oddPriority(long prio, long events) {
        Long known = otherPriority.get(prio);
        if (known != null) {
            otherPriority.put(prio, known + events);
        } else if (otherPriority.size() < limit) {
            otherPriority.put(prio, events);
        } else if (ahead) {
            overflowed = true;
        } else {
            dropped += events;
        }
    }

    boolean overflowed() {
        return overflowed;
    }

    void absorb(LruTally other) {
        for (int i = 0; i < 3; i++) {
            events[i] += other.events[i];
            scanned[i] = Saturating.add(scanned[i], other.scanned[i]);
            reclaimed[i] = Saturating.add(reclaimed[i], other.reclaimed[i]);
        }
        for (int i = 0; i < PRIORITIES; i++) {
            priority[i] += other.priority[i];
        }
        other.otherPriority.forEach(this::oddPriority);
        dropped += other.dropped;
    }

    /** Sums of pages that overflowed. */
    long overflowedTotals() {
        long n = 0;
        for (int t = 0; t < 3; t++) {
            n += Saturating.hit(scanned[t]) + Saturating.hit(reclaimed[t]);
        }
        return n;
    }

    TraceMetrics.LruShrinkInactive metrics() {
        Map<Long, Long> byPriority = new TreeMap<>(java.util.Comparator.reverseOrder());
        for (int i = 0; i < PRIORITIES; i++) {
            if (priority[i] > 0) {
                byPriority.put((long) i, priority[i]);
            }
        }
        byPriority.putAll(otherPriority);
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        byPriority.forEach((k, v) -> out.put(Long.toString(k), v));
        long allScanned = Saturating.add(Saturating.add(scanned[ANON], scanned[FILE]), scanned[OTHER]);
        long allReclaimed = Saturating.add(Saturating.add(reclaimed[ANON], reclaimed[FILE]), reclaimed[OTHER]);
        return new TraceMetrics.LruShrinkInactive(events[ANON] + events[FILE] + events[OTHER], events[ANON],
                events[FILE], events[OTHER], type(ANON), type(FILE), allScanned, allReclaimed,
                efficiency(allReclaimed, allScanned), out);
    }

    private TraceMetrics.LruType type(int t) {
        return new TraceMetrics.LruType(scanned[t], reclaimed[t], efficiency(reclaimed[t], scanned[t]));
    }

    private static Double efficiency(long reclaimed, long scanned) {
        return scanned == 0 ? null : NrReclaimedTally.round(reclaimed / (double) scanned, 4);
    }
}
