package dev.reclaimlab.analysis;

/**
 * What an event does to the tallies, whatever form the trace has: the text path ({@link ChunkTally}) reads the values
 * from a line, the binary path ({@link RecordTally}) from fields at offsets of a record, and both hand them here, so
 * the same events give the same metrics. Each method checks the values it is given and returns {@link LineCheck#OK}, or
 * why the event is skipped (then nothing of it was tallied).
 *
 * <p>The event's task, CPU and time come from {@link Current}; its task name is asked for only once the event is known
 * to be tallied, so a skipped event leaves no name behind in the tables (which are bounded, and fill in trace order).
 */
final class EventTally {
    /** The event being tallied, as the reader of the trace sees it. */
    interface Current {
        int pid();

        int cpu();

        long ts();

        /** The task name's id in {@link Stats#comms}, interned on this call. */
        int comm();
    }

    final Stats stats;
    final SpanPairing pairing;
    final CpuClocks clocks;
    final LossLog losses;
    final PassCounts counts;
    private final Current current;

    EventTally(Current current, Stats stats, SpanPairing pairing, CpuClocks clocks, LossLog losses, PassCounts counts) {
        this.current = current;
        this.stats = stats;
        this.pairing = pairing;
        this.clocks = clocks;
        this.losses = losses;
        this.counts = counts;
    }

    /** Whether an event on {@code cpu} at {@code ts} can be real: a CPU that exists, a time not before its last. */
    int admit(int cpu, long ts) {
        if (cpu < 0 || cpu >= Plausible.MAX_CPUS) {
            return LineCheck.NO_SUCH_CPU;
        }
        return clocks.inOrder(cpu, ts) ? LineCheck.OK : LineCheck.BACKWARDS;
    }

    /** The event was tallied. */
    void accepted(long ts) {
        counts.accepted(ts);
        losses.lastEventTs = ts;
    }

    /**
     * A lost-events record on {@code cpu}: {@code count} events, or -1 when the trace only says some were lost;
     * {@code ts} is when (the page's time stamp; for text, the time of the event line before it).
     */
    int lost(int cpu, long count, long ts) {
        if (count > Plausible.MAX_LOST) {
            return LineCheck.LOST_COUNT;
        }
        if (cpu < 0 || cpu >= Plausible.MAX_CPUS) {
            return LineCheck.NO_SUCH_CPU;
        }
        if (count > 0) {
            counts.lostEvents = Saturating.add(counts.lostEvents, count);
        }
        counts.lostRecords++;
        losses.record(cpu, count, ts);
        return LineCheck.OK;
    }

    /** {@code mm_vmscan_memcg_reclaim_begin}, {@code mm_vmscan_direct_reclaim_begin}. */
    int reclaimBegin(int kind) {
        int cpu = current.cpu();
        stats.begins[kind]++;
        pairing.reclaimBegin(kind, SpanPairing.key(current.pid(), cpu), cpu, current.ts());
        stats.event(kind == Stats.MEMCG ? Stats.MEMCG_BEGIN : Stats.DIRECT_BEGIN, current.comm());
        return LineCheck.OK;
    }

    /** {@code mm_vmscan_memcg_reclaim_end} (and direct): pairs, nr_reclaimed, per CPU second. */
    int reclaimEnd(int kind, long nrReclaimed) {
        int verdict = LineCheck.ofCount(nrReclaimed);
        if (verdict != LineCheck.OK) {
            return verdict;
        }
        int cpu = current.cpu();
        long ts = current.ts();
        stats.ends[kind]++;
        stats.nrReclaimed[kind].record(nrReclaimed);
        if (kind == Stats.MEMCG) {
            stats.cpuSeconds.record(cpu, ts, nrReclaimed);
        }
        int comm = current.comm();
        pairing.reclaimEnd(kind, SpanPairing.key(current.pid(), cpu), cpu, ts, comm);
        stats.event(kind == Stats.MEMCG ? Stats.MEMCG_END : Stats.DIRECT_END, comm);
        return LineCheck.OK;
    }

    /** {@code mm_shrink_slab_start}, whose shrinker is named by {@code nameLength} bytes. */
    int slabStart(int nameLength) {
        int verdict = LineCheck.ofName(nameLength);
        if (verdict != LineCheck.OK) {
            return verdict;
        }
        int cpu = current.cpu();
        stats.slabStarts++;
        pairing.slabStart(SpanPairing.key(current.pid(), cpu), cpu, current.ts());
        stats.event(Stats.SLAB_START, current.comm());
        return LineCheck.OK;
    }

    /** {@code mm_shrink_slab_end} of the shrinker named {@code name[from, to)}, which freed {@code freed} objects. */
    int slabEnd(byte[] name, int from, int to, long freed) {
        int verdict = LineCheck.ofName(to - from);
        if (verdict != LineCheck.OK) {
            return verdict;
        }
        if (freed > Plausible.MAX_COUNT) {
            return LineCheck.IMPLAUSIBLE; // a negative value is SHRINK_STOP: it frees nothing, and is no damage
        }
        int shrinker = stats.shrinkers.intern(name, from, to);
        int comm = current.comm();
        int cpu = current.cpu();
        stats.slabEnd(shrinker);
        if (freed > 0) {
            stats.slabFreed(shrinker, freed);
        }
        pairing.slabEnd(SpanPairing.key(current.pid(), cpu), cpu, current.ts(), shrinker, comm);
        stats.event(Stats.SLAB_END, comm);
        return LineCheck.OK;
    }

    /** {@code mm_vmscan_lru_shrink_inactive} of LRU {@code type} ({@link LruTally#ANON}, ...). */
    int lruShrinkInactive(int type, long scanned, long reclaimed, long priority) {
        int verdict = LineCheck.worse(LineCheck.ofCount(scanned), LineCheck.ofCount(reclaimed));
        if (verdict != LineCheck.OK) {
            return verdict;
        }
        stats.lru.record(type, scanned, reclaimed, priority);
        stats.event(Stats.LRU_SHRINK_INACTIVE, current.comm());
        return LineCheck.OK;
    }

    /** Any other event: counted by name and task. */
    int other(int eventId) {
        stats.event(eventId, current.comm());
        return LineCheck.OK;
    }
}
