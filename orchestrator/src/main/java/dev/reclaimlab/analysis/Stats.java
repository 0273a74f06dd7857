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
 *
 * <p>Every table is bounded by {@link Limits}. The whole trace's tallies count what does not fit ({@link #dropped}).
 * Those of a chunk parsed ahead report the first thing that does not fit ({@link #overflowed}), and the chunk is
 * parsed again in place into the whole trace's, since only the file's order says what came first. Names and rows are
 * merged in the order they first appeared in the chunk, so what fits is the same however the file was split.
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

    final Names events;
    final Names comms;
    final Names shrinkers;

    private long[] eventCounts = new long[16];
    private long[][] perComm = new long[C_WIDTH][64];

    final long[] begins = new long[2];
    final long[] ends = new long[2];
    final long[] unpaired = new long[2];
    /** Pairs a lost-events record fell inside: not latency samples ({@link SpanPairing}). */
    final long[] reclaimBroken = new long[2];
    final LatencyTally[] reclaimLatency;
    final NrReclaimedTally[] nrReclaimed = {new NrReclaimedTally(), new NrReclaimedTally()};

    long slabStarts;
    long slabEnds;
    long slabUnpaired;
    long slabBroken;
    long slabFreed;
    final long[] slabInsideNs = new long[2];
    private LatencyTally[] shrinkerLatency = new LatencyTally[16];
    private long[] shrinkerFreed = new long[16];
    /** mm_shrink_slab_end events per shrinker: those of (other) are what its table dropped. */
    private long[] shrinkerEnds = new long[16];

    final LruTally lru;
    final CpuSecondTally cpuSeconds;
    /** Begins not paired because {@link Limits#openTasks} other tasks had one open. */
    long droppedTasks;
    private final boolean ahead;

    /** {@code ahead}: the tallies of a chunk parsed ahead on a worker thread; otherwise the whole trace's. */
    Stats(Limits limits, boolean ahead) {
        this.ahead = ahead;
        events = new Names(limits.eventNames());
        comms = new Names(limits.comms());
        shrinkers = new Names(limits.shrinkers());
        reclaimLatency = new LatencyTally[] {latencyTally(), latencyTally()};
        lru = new LruTally(limits.oddPriorities(), ahead);
        cpuSeconds = new CpuSecondTally(ahead ? limits.aheadCpuSeconds() : limits.cpuSeconds(), ahead);
        for (String name : KNOWN_EVENTS) {
            events.intern(name);
        }
    }

    private LatencyTally latencyTally() {
        return ahead ? LatencyTally.buffered() : LatencyTally.histogram();
    }

    /** The tallies of a chunk parsed ahead met a limit: it must be parsed again in place. */
    boolean overflowed() {
        return events.overflowed() || comms.overflowed() || shrinkers.overflowed() || cpuSeconds.overflowed()
                || lru.overflowed();
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

    void slabEnd(int shrinker) {
        slabEnds++;
        shrinkerEnds = grow(shrinkerEnds, shrinker);
        shrinkerEnds[shrinker]++;
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
            if (s < other.shrinkerEnds.length && other.shrinkerEnds[s] != 0) {
                shrinkerEnds = grow(shrinkerEnds, shrinkerMap[s]);
                shrinkerEnds[shrinkerMap[s]] += other.shrinkerEnds[s];
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
            reclaimBroken[k] += other.reclaimBroken[k];
            reclaimLatency[k].absorb(other.reclaimLatency[k]);
            nrReclaimed[k].absorb(other.nrReclaimed[k]);
            slabInsideNs[k] = Saturating.add(slabInsideNs[k], other.slabInsideNs[k]);
        }
        slabStarts += other.slabStarts;
        slabEnds += other.slabEnds;
        slabUnpaired += other.slabUnpaired;
        slabBroken += other.slabBroken;
        slabFreed = Saturating.add(slabFreed, other.slabFreed);
        lru.absorb(other.lru);
        cpuSeconds.absorb(other.cpuSeconds);
        droppedTasks += other.droppedTasks;
    }

    /**
     * For each id of {@code from}, the id of the same name in {@code to}, interned in {@code from}'s order (the order
     * the names first appeared) so that the names that fit are the file's first.
     */
    static int[] map(Names from, Names to) {
        int[] map = new int[from.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = i == from.otherId() ? to.other() : to.intern(from.name(i));
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

    /** What did not fit the tables. */
    TraceMetrics.Dropped dropped() {
        int otherShrinker = shrinkers.otherId();
        return new TraceMetrics.Dropped(droppedTasks, comms.otherId() < 0 ? 0 : at(C_EVENTS, comms.otherId()),
                otherShrinker < 0 || otherShrinker >= shrinkerEnds.length ? 0 : shrinkerEnds[otherShrinker],
                events.otherId() < 0 ? 0 : eventCount(events.otherId()), cpuSeconds.dropped, lru.dropped);
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
        return new TraceMetrics.Reclaim(begins[kind], ends[kind], latency.count(), unpaired[kind], reclaimBroken[kind],
                latency.latency(), latency.buckets(), nrReclaimed[kind].metrics());
    }

    TraceMetrics.ShrinkSlab shrinkSlab() {
        Map<String, TraceMetrics.Shrinker> byShrinker = new TreeMap<>();
        LatencyTally slabLatency = LatencyTally.histogram();
        for (int s = 0; s < shrinkers.size(); s++) {
            LatencyTally latency = s < shrinkerLatency.length ? shrinkerLatency[s] : null;
            long freed = s < shrinkerFreed.length ? shrinkerFreed[s] : 0;
            if (latency == null && freed == 0) {
                continue;
            }
            if (latency != null) {
                slabLatency.absorb(latency);
            }
            latency = latency == null ? LatencyTally.histogram() : latency;
            byShrinker.put(shrinkers.name(s), new TraceMetrics.Shrinker(latency.count(), latency.latency(),
                    LatencyTally.us(latency.totalNs()), freed));
        }
        return new TraceMetrics.ShrinkSlab(slabStarts, slabEnds, slabLatency.count(), slabUnpaired, slabBroken,
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
        LatencyTally t = latencyTally();
        shrinkerLatency[id] = t;
        return t;
    }

    private static long[] grow(long[] a, int index) {
        return index < a.length ? a : Arrays.copyOf(a, Math.max(index + 1, a.length * 2));
    }
}
