package dev.reclaimlab.analysis;

/**
 * Joins chunks in file order: per task, what the chunks so far left open, and the task's cumulative shrink_slab
 * time. Each chunk's deferred first events (see {@link TaskSpans}) are resolved against it exactly as a single pass
 * would have resolved them, so the merged result does not depend on where the file was split.
 */
final class SpanCarry {
    private static final class Open {
        long slabNs;
        long slabOpenTs = TaskSpans.CLOSED;
        final long[] reclaimOpenTs = {TaskSpans.CLOSED, TaskSpans.CLOSED};
        final long[] reclaimOpenSlabNs = new long[2];

        Open(int key) {}
    }

    private final PidTable<Open> open = new PidTable<>(Open::new);
    private final Stats stats;

    /** {@code stats} is the merged tally that receives pairs completed across chunk boundaries. */
    SpanCarry(Stats stats) {
        this.stats = stats;
    }

    /** The next chunk in file order; {@code chunkStats} translates its name ids. */
    void absorb(SpanPairing chunk, Stats chunkStats) {
        int[] comms = null;
        int[] shrinkers = null;
        for (TaskSpans t : chunk.tasks.values()) {
            Open o = open.get(t.key);
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
                    if (ns < 0) {
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
                if (r.pairContainsDeferredSlabEnd) {
                    stats.slabInside(kind, deferredSlabNs);
                }
                if (r.first == TaskSpans.BEGIN) {
                    if (o.reclaimOpenTs[kind] != TaskSpans.CLOSED) {
                        stats.reclaimUnpaired(kind, 1);
                    }
                } else if (r.first == TaskSpans.END) {
                    if (o.reclaimOpenTs[kind] == TaskSpans.CLOSED) {
                        stats.reclaimUnpaired(kind, 1);
                    } else {
                        long ns = r.deferredEndTs - o.reclaimOpenTs[kind];
                        if (ns < 0) {
                            stats.reclaimUnpaired(kind, 2);
                        } else {
                            if (comms == null) {
                                comms = Stats.map(chunkStats.comms, stats.comms);
                                shrinkers = Stats.map(chunkStats.shrinkers, stats.shrinkers);
                            }
                            stats.reclaimPair(kind, comms[r.deferredEndComm], ns);
                            long slabAtEnd = base + r.deferredEndSlabNs
                                    + (r.deferredEndAfterDeferredSlabEnd ? deferredSlabNs : 0);
                            stats.slabInside(kind, slabAtEnd - o.reclaimOpenSlabNs[kind]);
                        }
                    }
                }
                if (r.first != TaskSpans.NONE) {
                    o.reclaimOpenTs[kind] = TaskSpans.CLOSED;
                }
                if (r.openTs != TaskSpans.CLOSED) {
                    o.reclaimOpenTs[kind] = r.openTs;
                    o.reclaimOpenSlabNs[kind] = base + r.openSlabNs
                            + (r.openAfterDeferredSlabEnd ? deferredSlabNs : 0);
                }
            }
            if (t.slabOpenTs != TaskSpans.CLOSED) {
                o.slabOpenTs = t.slabOpenTs;
            }
            o.slabNs = base + t.slabNs + deferredSlabNs;
        }
    }

    /** End of the trace: whatever is still open never ended. */
    void finish() {
        for (Open o : open.values()) {
            if (o.slabOpenTs != TaskSpans.CLOSED) {
                stats.slabUnpaired(1);
            }
            for (int kind = 0; kind < 2; kind++) {
                if (o.reclaimOpenTs[kind] != TaskSpans.CLOSED) {
                    stats.reclaimUnpaired(kind, 1);
                }
            }
        }
    }
}
