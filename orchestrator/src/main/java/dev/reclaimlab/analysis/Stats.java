package dev.reclaimlab.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The order-independent tallies of a trace, or of one chunk of it: counts, histograms and sums that add up no matter
 * in which order lines or chunks arrive. Names are chunk-local ids here; {@link #absorb} maps them by name.
 * Everything that depends on order (pairing begins with ends) lives in {@link SpanPairing} and {@link SpanCarry},
 * which report finished pairs here.
 */
final class Stats {
    static final int MEMCG = 0;
    static final int DIRECT = 1;

    /** Known events have fixed ids, so dispatch is a switch on an int. */
    static final String[] KNOWN_EVENTS = {"mm_vmscan_memcg_reclaim_begin", "mm_vmscan_memcg_reclaim_end",
            "mm_vmscan_direct_reclaim_begin", "mm_vmscan_direct_reclaim_end", "mm_shrink_slab_start",
            "mm_shrink_slab_end", "mm_vmscan_lru_shrink_inactive"};
    static final int MEMCG_BEGIN = 0;
    static final int MEMCG_END = 1;
    static final int DIRECT_BEGIN = 2;
    static final int DIRECT_END = 3;
    static final int SLAB_START = 4;
    static final int SLAB_END = 5;
    static final int LRU_SHRINK_INACTIVE = 6;

    /** Per task name: events, then count and nanoseconds of memcg, direct and shrink_slab pairs. */
    private static final int C_EVENTS = 0;
    private static final int C_MEMCG = 1;
    private static final int C_DIRECT = 3;
    private static final int C_SLAB = 5;
    private static final int C_WIDTH = 7;

    final Names events = new Names(512);
    final Names comms = new Names(4096);
    final Names shrinkers = new Names(1024);

    private long[] eventCounts = new long[16];
    private long[][] perComm = new long[C_WIDTH][64];

    final long[] begins = new long[2];
    final long[] ends = new long[2];
    final long[] unpaired = new long[2];
    final LatencyTally[] reclaimLatency = {new LatencyTally(), new LatencyTally()};
    final NrReclaimedTally[] nrReclaimed = {new NrReclaimedTally(), new NrReclaimedTally()};

    long slabStarts;
    long slabEnds;
    long slabUnpaired;
    long slabFreed;
    final long[] slabInsideNs = new long[2];
    private LatencyTally[] shrinkerLatency = new LatencyTally[16];
    private long[] shrinkerFreed = new long[16];

    final LruTally lru = new LruTally();
    final CpuSecondTally cpuSeconds = new CpuSecondTally();

    Stats() {
        for (String name : KNOWN_EVENTS) {
            events.intern(name);
        }
    }

    // ---- what the line handler and the pairing report ----

    void event(int eventId, int comm) {
        if (eventId >= eventCounts.length) {
            eventCounts = Arrays.copyOf(eventCounts, Math.max(eventId + 1, eventCounts.length * 2));
        }
        eventCounts[eventId]++;
        perComm[C_EVENTS] = grow(perComm[C_EVENTS], comm);
        perComm[C_EVENTS][comm]++;
    }

    void reclaimPair(int kind, int comm, long ns) {
        reclaimLatency[kind].record(ns);
        int column = kind == MEMCG ? C_MEMCG : C_DIRECT;
        perComm[column] = grow(perComm[column], comm);
        perComm[column + 1] = grow(perComm[column + 1], comm);
        perComm[column][comm]++;
        perComm[column + 1][comm] = Saturating.add(perComm[column + 1][comm], ns);
    }

    void reclaimUnpaired(int kind, int n) {
        unpaired[kind] += n;
    }

    void slabPair(int shrinker, int comm, long ns) {
        shrinker(shrinker).record(ns); // the whole is the sum of the shrinkers, added up once at the end
        perComm[C_SLAB] = grow(perComm[C_SLAB], comm);
        perComm[C_SLAB + 1] = grow(perComm[C_SLAB + 1], comm);
        perComm[C_SLAB][comm]++;
        perComm[C_SLAB + 1][comm] = Saturating.add(perComm[C_SLAB + 1][comm], ns);
    }

    void slabUnpaired(int n) {
        slabUnpaired += n;
    }

    void slabFreed(int shrinker, long freed) {
        if (freed > 0) {
            slabFreed = Saturating.add(slabFreed, freed);
            shrinkerFreed = grow(shrinkerFreed, shrinker);
            shrinkerFreed[shrinker] = Saturating.add(shrinkerFreed[shrinker], freed);
        }
    }

    /**
     * shrink_slab time that ran inside a paired reclaim of the same task. It is the growth of a per-task running sum
     * of durations, which wraps exactly as a long; a growth that reads negative passed 2^63 and saturates the total.
     */
    void slabInside(int kind, long ns) {
        slabInsideNs[kind] = Saturating.add(slabInsideNs[kind], ns < 0 ? Long.MAX_VALUE : ns);
    }

    // ---- merging ----

    /** Adds another chunk's tallies; its name ids are translated through the names. */
    void absorb(Stats other) {
        int[] eventMap = map(other.events, events);
        for (int i = 0; i < other.events.size() && i < other.eventCounts.length; i++) {
            if (other.eventCounts[i] > 0) {
                int id = eventMap[i];
                if (id >= eventCounts.length) {
                    eventCounts = Arrays.copyOf(eventCounts, Math.max(id + 1, eventCounts.length * 2));
                }
                eventCounts[id] += other.eventCounts[i];
            }
        }
        int[] commMap = map(other.comms, comms);
        for (int c = 0; c < other.comms.size(); c++) {
            for (int column = 0; column < C_WIDTH; column++) {
                long[] theirs = other.perComm[column];
                if (c < theirs.length && theirs[c] != 0) {
                    perComm[column] = grow(perComm[column], commMap[c]);
                    perComm[column][commMap[c]] = Saturating.add(perComm[column][commMap[c]], theirs[c]);
                }
            }
        }
        int[] shrinkerMap = map(other.shrinkers, shrinkers);
        for (int s = 0; s < other.shrinkers.size(); s++) {
            if (s < other.shrinkerLatency.length && other.shrinkerLatency[s] != null) {
                shrinker(shrinkerMap[s]).absorb(other.shrinkerLatency[s]);
            }
            if (s < other.shrinkerFreed.length && other.shrinkerFreed[s] != 0) {
                shrinkerFreed = grow(shrinkerFreed, shrinkerMap[s]);
                shrinkerFreed[shrinkerMap[s]] = Saturating.add(shrinkerFreed[shrinkerMap[s]], other.shrinkerFreed[s]);
            }
        }
        for (int k = 0; k < 2; k++) {
            begins[k] += other.begins[k];
            ends[k] += other.ends[k];
            unpaired[k] += other.unpaired[k];
            reclaimLatency[k].absorb(other.reclaimLatency[k]);
            nrReclaimed[k].absorb(other.nrReclaimed[k]);
            slabInsideNs[k] = Saturating.add(slabInsideNs[k], other.slabInsideNs[k]);
        }
        slabStarts += other.slabStarts;
        slabEnds += other.slabEnds;
        slabUnpaired += other.slabUnpaired;
        slabFreed = Saturating.add(slabFreed, other.slabFreed);
        lru.absorb(other.lru);
        cpuSeconds.absorb(other.cpuSeconds);
    }

    /** For each id of {@code from}, the id of the same name in {@code to}. */
    static int[] map(Names from, Names to) {
        int[] map = new int[from.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = to.intern(from.name(i));
        }
        return map;
    }

    // ---- results ----

    /** Totals that reached {@link Long#MAX_VALUE} and stopped there (see {@link Saturating}). */
    long overflowedTotals() {
        long n = Saturating.hit(slabFreed);
        for (int k = 0; k < 2; k++) {
            n += Saturating.hit(nrReclaimed[k].sum) + Saturating.hit(reclaimLatency[k].totalNs())
                    + Saturating.hit(slabInsideNs[k]);
        }
        for (int s = 0; s < shrinkers.size(); s++) {
            LatencyTally latency = s < shrinkerLatency.length ? shrinkerLatency[s] : null;
            n += (latency == null ? 0 : Saturating.hit(latency.totalNs()))
                    + (s < shrinkerFreed.length ? Saturating.hit(shrinkerFreed[s]) : 0);
        }
        for (int column : new int[] {C_MEMCG + 1, C_DIRECT + 1, C_SLAB + 1}) {
            for (long ns : perComm[column]) {
                n += Saturating.hit(ns);
            }
        }
        return n + lru.overflowedTotals() + cpuSeconds.overflowedTotals();
    }

    long eventCount(int id) {
        return id < eventCounts.length ? eventCounts[id] : 0;
    }

    long totalEvents() {
        long n = 0;
        for (long c : eventCounts) {
            n += c;
        }
        return n;
    }

    Map<String, Long> eventCounts() {
        Map<String, Long> out = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            if (eventCount(i) > 0) {
                out.put(events.name(i), eventCount(i));
            }
        }
        return out;
    }

    TraceMetrics.Reclaim reclaim(int kind) {
        LatencyTally latency = reclaimLatency[kind];
        return new TraceMetrics.Reclaim(begins[kind], ends[kind], latency.count(), unpaired[kind], latency.latency(),
                latency.buckets(), nrReclaimed[kind].metrics());
    }

    TraceMetrics.ShrinkSlab shrinkSlab() {
        Map<String, TraceMetrics.Shrinker> byShrinker = new TreeMap<>();
        LatencyTally slabLatency = new LatencyTally();
        for (int s = 0; s < shrinkers.size(); s++) {
            LatencyTally latency = s < shrinkerLatency.length ? shrinkerLatency[s] : null;
            long freed = s < shrinkerFreed.length ? shrinkerFreed[s] : 0;
            if (latency == null && freed == 0) {
                continue;
            }
            if (latency != null) {
                slabLatency.absorb(latency);
            }
            latency = latency == null ? new LatencyTally() : latency;
            byShrinker.put(shrinkers.name(s), new TraceMetrics.Shrinker(latency.count(), latency.latency(),
                    LatencyTally.us(latency.totalNs()), freed));
        }
        return new TraceMetrics.ShrinkSlab(slabStarts, slabEnds, slabLatency.count(), slabUnpaired,
                slabLatency.latency(), slabLatency.buckets(), LatencyTally.us(slabLatency.totalNs()), slabFreed,
                LatencyTally.us(slabInsideNs[MEMCG]), share(MEMCG), LatencyTally.us(slabInsideNs[DIRECT]),
                share(DIRECT), byShrinker);
    }

    /** Absent without reclaim time, or without any shrink_slab event (most likely not traced: unknown, not zero). */
    private Double share(int kind) {
        long total = reclaimLatency[kind].totalNs();
        return total == 0 || slabStarts + slabEnds == 0 ? null : NrReclaimedTally.round(slabInsideNs[kind] / (double) total, 6);
    }

    Map<String, TraceMetrics.Comm> byComm() {
        Map<String, TraceMetrics.Comm> out = new LinkedHashMap<>();
        List<Integer> ids = new ArrayList<>();
        for (int c = 0; c < comms.size(); c++) {
            if (at(C_EVENTS, c) > 0) {
                ids.add(c);
            }
        }
        // busiest first, so the JSON reads like a top list
        ids.sort((a, b) -> at(C_EVENTS, a) != at(C_EVENTS, b) ? Long.compare(at(C_EVENTS, b), at(C_EVENTS, a))
                : comms.name(a).compareTo(comms.name(b)));
        for (int c : ids) {
            out.put(comms.name(c), new TraceMetrics.Comm(at(C_EVENTS, c), at(C_MEMCG, c),
                    LatencyTally.us(at(C_MEMCG + 1, c)), at(C_DIRECT, c), LatencyTally.us(at(C_DIRECT + 1, c)),
                    at(C_SLAB, c), LatencyTally.us(at(C_SLAB + 1, c))));
        }
        return out;
    }

    private long at(int column, int comm) {
        return comm < perComm[column].length ? perComm[column][comm] : 0;
    }

    private LatencyTally shrinker(int id) {
        LatencyTally t = id < shrinkerLatency.length ? shrinkerLatency[id] : null;
        return t != null ? t : newShrinker(id);
    }

    /** Kept out of {@link #shrinker} so the just-in-time compiler does not inline a cold path into the hot one. */
    private LatencyTally newShrinker(int id) {
        if (id >= shrinkerLatency.length) {
            shrinkerLatency = Arrays.copyOf(shrinkerLatency, Math.max(id + 1, shrinkerLatency.length * 2));
        }
        LatencyTally t = new LatencyTally();
        shrinkerLatency[id] = t;
        return t;
    }

    private static long[] grow(long[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, Math.max(index + 1, a.length * 2));
    }
}
