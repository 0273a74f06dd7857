package dev.reclaimlab.analysis;

/**
 * One task's begin/end state inside one chunk. A chunk starts without knowing what the task had open before it, so
 * the task's <em>first</em> shrink_slab event and first event of each reclaim kind are noted rather than resolved:
 * a first end waits here ("deferred") until {@link SpanCarry} pairs it with what the previous chunks left open; a
 * first begin tells the carry that whatever was open is now unpaired. After its first event, everything about a
 * kind is local. What is still open at the end of the chunk is handed on.
 *
 * <p>shrink_slab time inside a reclaim is the growth of the task's cumulative shrink_slab time between the
 * reclaim's begin and end ({@code slabNs} snapshots). A deferred shrink_slab end adds a duration that is known only
 * at merge time, so snapshots remember whether they were taken after it.
 *
 * <p>The whole trace's table ({@link SpanCarry}, and a chunk parsed in place into it) holds {@link #KNOWN} tasks:
 * nothing about them waits for earlier chunks, and a task is there only while it has a span open.
 */
final class TaskSpans {
    static final byte NONE = 0;
    static final byte BEGIN = 1;
    static final byte END = 2;
    /** Everything before is known: the task's state in the whole trace, not in one chunk. */
    static final byte KNOWN = 3;
    static final long CLOSED = Long.MIN_VALUE;

    final int key;

    byte slabFirst = NONE;
    long slabOpenTs = CLOSED;
    /** The CPU the open shrink_slab call began on, and {@link LossLog#now} then. */
    int slabOpenCpu;
    long slabOpenLoss;
    /** Nanoseconds of this task's shrink_slab pairs completed in this chunk (pairs made here only). */
    long slabNs;
    /** The first shrink_slab event was an end and has been passed. */
    boolean afterDeferredSlabEnd;
    long deferredSlabEndTs;
    int deferredSlabShrinker;
    int deferredSlabComm;
    int deferredSlabEndCpu;

    final Reclaim[] reclaims = {new Reclaim(), new Reclaim()};

    TaskSpans(int key) {
        this.key = key;
    }

    /** A task of the whole trace's table, with nothing open. */
    static TaskSpans known(int key) {
        TaskSpans t = new TaskSpans(key);
        t.slabFirst = KNOWN;
        t.reclaims[0].first = KNOWN;
        t.reclaims[1].first = KNOWN;
        return t;
    }

    /** A reclaim or shrink_slab call has begun and not ended. */
    boolean open() {
        return slabOpenTs != CLOSED || reclaims[0].openTs != CLOSED || reclaims[1].openTs != CLOSED;
    }

    /** One reclaim kind (memcg or direct) of this task in this chunk. */
    static final class Reclaim {
        byte first = NONE;
        long openTs = CLOSED;
        /** The CPU the open span began on, and {@link LossLog#now} then. */
        int openCpu;
        long openLoss;
        long openSlabNs;
        boolean openAfterDeferredSlabEnd;
        long deferredEndTs;
        int deferredEndComm;
        int deferredEndCpu;
        long deferredEndSlabNs;
        boolean deferredEndAfterDeferredSlabEnd;
        /** A reclaim paired in this chunk surrounds the deferred shrink_slab end: add its duration at merge. */
        boolean pairContainsDeferredSlabEnd;
    }
}
