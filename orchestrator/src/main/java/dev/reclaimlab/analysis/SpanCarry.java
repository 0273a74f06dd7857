package dev.reclaimlab.analysis;

/**
 * Joins chunks in file order: per task, what the chunks so far left open, and the task's running shrink_slab time.
 * Each chunk's deferred first events (see {@link TaskSpans}) are resolved against it exactly as a single pass would
 * have resolved them, so the merged result does not depend on where the file was split. A task stays only while
 * something of it is open, and at most {@code limit} tasks do: a chunk parsed in place ({@link SpanPairing}) works on
 * this same table and drops what does not fit, and a chunk parsed ahead is taken only if it cannot make the table
 * pass the limit ({@link #canAbsorb}).
 */
final class SpanCarry {
    private final PidTable<TaskSpans> open = new PidTable<>(TaskSpans::known);
    private final Stats stats;
    private final LossLog losses;
    private final int limit;

    /**
     * {@code stats} is the merged tally that receives pairs completed across chunk boundaries; {@code losses} the
     * whole trace's lost-events records (a chunk parsed ahead has none of its own: it would have been parsed in place).
     */
    SpanCarry(Stats stats, int limit, LossLog losses) {
        this.stats = stats;
        this.losses = losses;
        this.limit = limit;
    }

    PidTable<TaskSpans> tasks() {
        return open;
    }

    int limit() {
        return limit;
    }

    /** Whether a chunk parsed ahead fits: even if every task it touched were new here and left open. */
    boolean canAbsorb(SpanPairing chunk) {
        return open.size() + chunk.tasks.size() <= limit;
    }

    /** The next chunk in file order, parsed ahead; {@code chunkStats} translates its name ids. */
    void absorb(SpanPairing chunk, Stats chunkStats) {
        int[] comms = null;
        int[] shrinkers = null;
        for (TaskSpans t : chunk.tasks.values()) {
            TaskSpans o = open.get(t.key);
            long base = o.slabNs;
            long deferredSlabNs = 0;
            if (t.slabFirst == TaskSpans.BEGIN) {
                if (o.slabOpenTs != TaskSpans.CLOSED) {
                    stats.slabUnpaired(1);
                }
                o.slabOpenTs = TaskSpans.CLOSED;
            } else if (t.slabFirst == TaskSpans.END) {
                if (o.slabOpenTs == TaskSpans.CLOSED) {
                    stats.slabUnpaired(1);
                } else {
                    long ns = t.deferredSlabEndTs - o.slabOpenTs;
                    if (losses.since(o.slabOpenLoss, o.slabOpenCpu, t.deferredSlabEndCpu)) {
                        stats.slabBroken++;
                    } else if (ns < 0) {
                        stats.slabUnpaired(2);
                    } else {
                        if (comms == null) {
                            comms = Stats.map(chunkStats.comms, stats.comms);
                            shrinkers = Stats.map(chunkStats.shrinkers, stats.shrinkers);
                        }
                        stats.slabPair(shrinkers[t.deferredSlabShrinker], comms[t.deferredSlabComm], ns);
                        deferredSlabNs = ns;
                    }
                }
                o.slabOpenTs = TaskSpans.CLOSED;
            }
            for (int kind = 0; kind < 2; kind++) {
                TaskSpans.Reclaim r = t.reclaims[kind];
                TaskSpans.Reclaim known = o.reclaims[kind];
                if (r.pairContainsDeferredSlabEnd) {
                    stats.slabInside(kind, deferredSlabNs);
                }
                if (r.first == TaskSpans.BEGIN) {
                    if (known.openTs != TaskSpans.CLOSED) {
                        stats.reclaimUnpaired(kind, 1);
                    }
                } else if (r.first == TaskSpans.END) {
                    if (known.openTs == TaskSpans.CLOSED) {
                        stats.reclaimUnpaired(kind, 1);
                    } else {
                        long ns = r.deferredEndTs - known.openTs;
                        if (losses.since(known.openLoss, known.openCpu, r.deferredEndCpu)) {
                            stats.reclaimBroken[kind]++;
                        } else if (ns < 0) {
                            stats.reclaimUnpaired(kind, 2);
                        } else {
                            if (comms == null) {
                                comms = Stats.map(chunkStats.comms, stats.comms);
                                shrinkers = Stats.map(chunkStats.shrinkers, stats.shrinkers);
                            }
                            stats.reclaimPair(kind, comms[r.deferredEndComm], ns);
                            long slabAtEnd = base + r.deferredEndSlabNs
                                    + (r.deferredEndAfterDeferredSlabEnd ? deferredSlabNs : 0);
                            stats.slabInside(kind, slabAtEnd - known.openSlabNs);
                        }
                    }
                }
                if (r.first != TaskSpans.NONE) {
                    known.openTs = TaskSpans.CLOSED;
                }
                if (r.openTs != TaskSpans.CLOSED) {
                    known.openTs = r.openTs;
                    known.openCpu = r.openCpu;
                    known.openLoss = losses.now();
                    known.openSlabNs = base + r.openSlabNs + (r.openAfterDeferredSlabEnd ? deferredSlabNs : 0);
                }
            }
            if (t.slabOpenTs != TaskSpans.CLOSED) {
                o.slabOpenTs = t.slabOpenTs;
                o.slabOpenCpu = t.slabOpenCpu;
                o.slabOpenLoss = losses.now();
            }
            o.slabNs = base + t.slabNs + deferredSlabNs;
            if (!o.open()) {
                open.remove(o.key); // nothing open: what it did before no longer matters
            }
        }
    }

    /** End of the trace: whatever is still open never ended. */
    void finish() {
        for (TaskSpans o : open.values()) {
            if (o.slabOpenTs != TaskSpans.CLOSED) {
                stats.slabUnpaired(1);
            }
            for (int kind = 0; kind < 2; kind++) {
                if (o.reclaims[kind].openTs != TaskSpans.CLOSED) {
                    stats.reclaimUnpaired(kind, 1);
                }
            }
        }
    }
}
