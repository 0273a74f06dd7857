package dev.reclaimlab.analysis;

/**
 * Pairs begins with ends per task inside one chunk: memcg reclaim, direct reclaim and shrink_slab. A task's next
 * begin before its end leaves the earlier begin unpaired; an end earlier than its begin (reordered lines) leaves both
 * unpaired. Finished pairs go to {@link Stats}; what needs the previous chunks stays in {@link TaskSpans}.
 *
 * <p>Tasks are keyed by pid, except pid 0: every CPU's idle task is pid 0, so those are told apart by CPU.
 */
final class SpanPairing {
    private final Stats stats;
    final PidTable<TaskSpans> tasks = new PidTable<>(TaskSpans::new);

    SpanPairing(Stats stats) {
        this.stats = stats;
    }

    static int key(int pid, int cpu) {
        return pid != 0 ? pid : -1 - cpu;
    }

    void slabStart(int key, long ts) {
        TaskSpans t = tasks.get(key);
        if (t.slabFirst == TaskSpans.NONE) {
            t.slabFirst = TaskSpans.BEGIN;
        } else if (t.slabOpenTs != TaskSpans.CLOSED) {
            stats.slabUnpaired(1);
        }
        t.slabOpenTs = ts;
    }

    void slabEnd(int key, long ts, int shrinker, int comm) {
        TaskSpans t = tasks.get(key);
        if (t.slabFirst == TaskSpans.NONE) {
            t.slabFirst = TaskSpans.END;
            t.deferredSlabEndTs = ts;
            t.deferredSlabShrinker = shrinker;
            t.deferredSlabComm = comm;
            t.afterDeferredSlabEnd = true;
            return;
        }
        if (t.slabOpenTs == TaskSpans.CLOSED) {
            stats.slabUnpaired(1);
            return;
        }
        long ns = ts - t.slabOpenTs;
        t.slabOpenTs = TaskSpans.CLOSED;
        if (ns < 0) {
            stats.slabUnpaired(2);
            return;
        }
        stats.slabPair(shrinker, comm, ns);
        t.slabNs += ns;
    }

    void reclaimBegin(int kind, int key, long ts) {
        TaskSpans t = tasks.get(key);
        TaskSpans.Reclaim r = t.reclaims[kind];
        if (r.first == TaskSpans.NONE) {
            r.first = TaskSpans.BEGIN;
        } else if (r.openTs != TaskSpans.CLOSED) {
            stats.reclaimUnpaired(kind, 1);
        }
        r.openTs = ts;
        r.openSlabNs = t.slabNs;
        r.openAfterDeferredSlabEnd = t.afterDeferredSlabEnd;
    }

    void reclaimEnd(int kind, int key, long ts, int comm) {
        TaskSpans t = tasks.get(key);
        TaskSpans.Reclaim r = t.reclaims[kind];
        if (r.first == TaskSpans.NONE) {
            r.first = TaskSpans.END;
            r.deferredEndTs = ts;
            r.deferredEndComm = comm;
            r.deferredEndSlabNs = t.slabNs;
            r.deferredEndAfterDeferredSlabEnd = t.afterDeferredSlabEnd;
            return;
        }
        if (r.openTs == TaskSpans.CLOSED) {
            stats.reclaimUnpaired(kind, 1);
            return;
        }
        long ns = ts - r.openTs;
        r.openTs = TaskSpans.CLOSED;
        if (ns < 0) {
            stats.reclaimUnpaired(kind, 2);
            return;
        }
        stats.reclaimPair(kind, comm, ns);
        stats.slabInside(kind, t.slabNs - r.openSlabNs);
        if (t.afterDeferredSlabEnd && !r.openAfterDeferredSlabEnd) {
            r.pairContainsDeferredSlabEnd = true;
        }
    }
}
