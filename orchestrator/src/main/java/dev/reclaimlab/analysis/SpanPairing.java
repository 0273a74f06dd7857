package dev.reclaimlab.analysis;

/**
 * Pairs begins with ends per task: memcg reclaim, direct reclaim and shrink_slab. A task's next begin before its end
 * leaves the earlier begin unpaired; an end earlier than its begin (reordered lines) leaves both unpaired. Finished
 * pairs go to {@link Stats}.
 *
 * <p>A chunk parsed ahead keeps its own table: what needs the previous chunks stays in {@link TaskSpans} for
 * {@link SpanCarry}, and past {@code limit} tasks it gives up ({@link #overflowed}). A chunk parsed in place works on
 * the whole trace's table of open tasks: an end closes what is open or is unpaired, a task leaves the table when
 * nothing of it is open, and a begin of a new task when {@code limit} tasks are open is dropped (counted, and unpaired:
 * it will never have a partner).
 *
 * <p>Tasks are keyed by pid, except pid 0: every CPU's idle task is pid 0, so those are told apart by CPU.
 *
 * <p>A span that a lost-events record fell inside, on the CPU it began or ended on ({@link LossLog#since}), is
 * <em>broken</em>: the lost events may have held its real end or another begin, so its duration is no sample. It is
 * counted apart and closes the span. A chunk parsed ahead never meets a loss (it is parsed in place instead).
 */
final class SpanPairing {
    private final Stats stats;
    private final LossLog losses;
    final PidTable<TaskSpans> tasks;
    private final boolean inPlace;
    private final int limit;
    private boolean overflowed;

    /** A chunk parsed ahead, that gives up past {@code limit} tasks. */
    SpanPairing(Stats stats, int limit, LossLog losses) {
        this.stats = stats;
        this.losses = losses;
        this.tasks = new PidTable<>(TaskSpans::new);
        this.inPlace = false;
        this.limit = limit;
    }

    /** A chunk parsed in place: {@code stats} and {@code carry} are the whole trace's. */
    SpanPairing(Stats stats, SpanCarry carry, LossLog losses) {
        this.stats = stats;
        this.losses = losses;
        this.tasks = carry.tasks();
        this.inPlace = true;
        this.limit = carry.limit();
    }

    static int key(int pid, int cpu) {
        return pid != 0 ? pid : -1 - cpu;
    }

    /** A chunk parsed ahead touched more tasks than it may keep. */
    boolean overflowed() {
        return overflowed;
    }

    void slabStart(int key, int cpu, long ts) {
        TaskSpans t = forBegin(key);
        if (t == null) {
            stats.slabUnpaired(1);
            return;
        }
        if (t.slabFirst == TaskSpans.NONE) {
            t.slabFirst = TaskSpans.BEGIN;
        } else if (t.slabOpenTs != TaskSpans.CLOSED) {
            stats.slabUnpaired(1);
        }
        t.slabOpenTs = ts;
        t.slabOpenCpu = cpu;
        t.slabOpenLoss = losses.now();
    }

    void slabEnd(int key, int cpu, long ts, int shrinker, int comm) {
        TaskSpans t = forEnd(key);
        if (t == null) {
            stats.slabUnpaired(1);
            return;
        }
        if (t.slabFirst == TaskSpans.NONE) {
            t.slabFirst = TaskSpans.END;
            t.deferredSlabEndTs = ts;
            t.deferredSlabShrinker = shrinker;
            t.deferredSlabComm = comm;
            t.deferredSlabEndCpu = cpu;
            t.afterDeferredSlabEnd = true;
            return;
        }
        if (t.slabOpenTs == TaskSpans.CLOSED) {
            stats.slabUnpaired(1);
            return;
        }
        long ns = ts - t.slabOpenTs;
        t.slabOpenTs = TaskSpans.CLOSED;
        if (losses.since(t.slabOpenLoss, t.slabOpenCpu, cpu)) {
            stats.slabBroken++;
        } else if (ns < 0) {
            stats.slabUnpaired(2);
        } else {
            stats.slabPair(shrinker, comm, ns);
            t.slabNs += ns; // wraps rather than saturates: only differences of it are used, and those stay exact
        }
        closed(t);
    }

    void reclaimBegin(int kind, int key, int cpu, long ts) {
        TaskSpans t = forBegin(key);
        if (t == null) {
            stats.reclaimUnpaired(kind, 1);
            return;
        }
        TaskSpans.Reclaim r = t.reclaims[kind];
        if (r.first == TaskSpans.NONE) {
            r.first = TaskSpans.BEGIN;
        } else if (r.openTs != TaskSpans.CLOSED) {
            stats.reclaimUnpaired(kind, 1);
        }
        r.openTs = ts;
        r.openCpu = cpu;
        r.openLoss = losses.now();
        r.openSlabNs = t.slabNs;
        r.openAfterDeferredSlabEnd = t.afterDeferredSlabEnd;
    }

    void reclaimEnd(int kind, int key, int cpu, long ts, int comm) {
        TaskSpans t = forEnd(key);
        if (t == null) {
            stats.reclaimUnpaired(kind, 1);
            return;
        }
        TaskSpans.Reclaim r = t.reclaims[kind];
        if (r.first == TaskSpans.NONE) {
            r.first = TaskSpans.END;
            r.deferredEndTs = ts;
            r.deferredEndComm = comm;
            r.deferredEndCpu = cpu;
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
        if (losses.since(r.openLoss, r.openCpu, cpu)) {
            stats.reclaimBroken[kind]++;
        } else if (ns < 0) {
            stats.reclaimUnpaired(kind, 2);
        } else {
            stats.reclaimPair(kind, comm, ns);
            stats.slabInside(kind, t.slabNs - r.openSlabNs);
            if (t.afterDeferredSlabEnd && !r.openAfterDeferredSlabEnd) {
                r.pairContainsDeferredSlabEnd = true;
            }
        }
        closed(t);
    }

    /** The task a begin opens a span of; null when it is dropped (in place, {@code limit} other tasks open). */
    private TaskSpans forBegin(int key) {
        if (!inPlace) {
            return ahead(key);
        }
        TaskSpans t = tasks.find(key);
        return t != null ? t : admit(key);
    }

    /** Kept apart from {@link #forBegin} so the just-in-time compiler leaves the cold path out of the hot one. */
    private TaskSpans admit(int key) {
        if (tasks.size() >= limit) {
            stats.droppedTasks++;
            return null;
        }
        return tasks.get(key);
    }

    /** The task an end closes a span of; in place, null when it has nothing open. */
    private TaskSpans forEnd(int key) {
        return inPlace ? tasks.find(key) : ahead(key);
    }

    private TaskSpans ahead(int key) {
        TaskSpans t = tasks.get(key);
        if (tasks.size() > limit) {
            overflowed = true;
        }
        return t;
    }

    /** In place, a task with nothing open leaves the table: what it did before no longer matters. */
    private void closed(TaskSpans t) {
        if (inPlace && !t.open()) {
            tasks.remove(t.key);
        }
    }
}
