package dev.reclaimlab.analysis;

/**
 * A part of a trace tallied on its own, text lines ({@link ChunkTally}) or binary records ({@link RecordTally}), as
 * {@link TraceTally} merges it: in order, either tallied ahead into tables of its own or in place into the whole
 * trace's.
 */
interface ChunkPart {
    /** Tallied straight into the whole trace's tables: only its counts are left to merge. */
    boolean inPlace();

    /** Tallied ahead, it met a limit of its own or a loss: what it holds is incomplete, so it is tallied again in place. */
    boolean stopped();

    Stats stats();

    SpanPairing pairing();

    CpuClocks clocks();

    PassCounts counts();
}
