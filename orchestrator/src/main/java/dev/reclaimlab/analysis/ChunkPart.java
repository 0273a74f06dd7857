package dev.reclaimlab.analysis;

/**
 * A part of a trace tallied on its own, text lines ({@link ChunkTally}) or binary records ({@link RecordTally}), as
 * {@link TraceTally} merges it: in order, either tallied ahead into tables of its own or in place into the whole
 * trace's. Holds those tables and the {@link EventTally} that fills them; the subclass reads its input.
 */
abstract class ChunkPart implements EventTally.Current {
    final Stats stats;
    final SpanPairing pairing;
    final CpuClocks clocks;
    /** Tallied straight into the whole trace's tables: only its counts are left to merge. */
    final boolean inPlace;
    final PassCounts counts = new PassCounts();
    final EventTally tally;
    /**
     * Tallied ahead, it met lost events: which spans that breaks depends on what the parts before left open, so it is
     * tallied again in place (losses are rare: this costs nothing on a healthy trace).
     */
    boolean sawLoss;

    /** Where a part's figures go: tables of its own (ahead) or the whole trace's (in place). */
    record Tables(Stats stats, SpanPairing pairing, CpuClocks clocks, LossLog losses, boolean inPlace) {
        /** A part tallied ahead on a worker thread, into tables of its own. */
        static Tables ahead(Limits limits) {
            Stats stats = new Stats(limits, true);
            LossLog losses = new LossLog();
            return new Tables(stats, new SpanPairing(stats, limits.aheadTasks(), losses), new CpuClocks(true), losses,
                    false);
        }

        /** A part tallied in place: {@code stats}, {@code carry}, {@code clocks} and {@code losses} are the trace's. */
        static Tables inPlace(Stats stats, SpanCarry carry, CpuClocks clocks, LossLog losses) {
            return new Tables(stats, new SpanPairing(stats, carry, losses), clocks, losses, true);
        }
    }

    ChunkPart(Tables tables) {
        this.stats = tables.stats();
        this.pairing = tables.pairing();
        this.clocks = tables.clocks();
        this.inPlace = tables.inPlace();
        this.tally = new EventTally(this, stats, pairing, clocks, tables.losses(), counts);
    }

    /** Tallied ahead, it met a limit of its own or a loss: what it holds is incomplete; tallied again in place. */
    public boolean stopped() {
        return !inPlace && (stats.overflowed() || pairing.overflowed() || sawLoss);
    }
}
