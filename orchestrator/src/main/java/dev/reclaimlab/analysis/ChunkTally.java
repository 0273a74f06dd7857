package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.Bytes;
import dev.reclaimlab.trace.ChunkReader;
import dev.reclaimlab.trace.TraceLine;
import dev.reclaimlab.trace.TraceLineParser;

/**
 * The analysis of one chunk of a trace, line by line: parse, dispatch on the event, tally. Holds only counters,
 * histograms and per-task state, never the events themselves. {@link TraceTally} merges chunks in file order.
 *
 * <p>Each event type has its own {@link Handler} class, called through an array. That keeps every just-in-time
 * compilation small and separate: one method that handled every event inlined them all, took the compiler a second
 * of CPU, and was thrown away and compiled again whenever a rare path (a new task, a new name) was first taken.
 *
 * <p>A chunk is parsed either ahead, on a worker thread into tables of its own that {@link TraceTally} merges, or in
 * place, on the merge thread straight into the whole trace's tables ({@link TraceTally#inPlace}). A chunk parsed ahead
 * stops as soon as one of its tables is full ({@link #stopped}): it will be parsed again in place.
 */
final class ChunkTally extends ChunkPart implements ChunkReader.LineConsumer {
    static final int SAMPLES = PassCounts.SAMPLES;
    static final long NO_TS = PassCounts.NO_TS;
    private static final byte[] ANON = Bytes.ascii("RECLAIM_WB_ANON");
    private static final byte[] FILE = Bytes.ascii("RECLAIM_WB_FILE");
    private static final byte[] LOST_UNCOUNTED = Bytes.ascii("[LOST EVENTS]");
    private static final boolean[] ENDS_SHRINKER = new boolean[256];

    static {
        ENDS_SHRINKER['+'] = true;
        ENDS_SHRINKER[' '] = true;
        ENDS_SHRINKER[':'] = true;
    }

    private final EventFields fields;
    private final TraceLine line = new TraceLine();
    /** By event id, in {@link Stats#KNOWN_EVENTS} order; other events are only counted. */
    private final Handler[] handlers;
    private final Handler other = new Other();
    /** The line being handled, for {@link #comm()}. */
    private byte[] buf;

    private ChunkTally(EventFields fields, Tables tables) {
        super(tables);
        this.fields = fields;
        this.handlers = new Handler[] {new ReclaimBegin(Stats.MEMCG), new ReclaimEnd(Stats.MEMCG),
            new ReclaimBegin(Stats.DIRECT), new ReclaimEnd(Stats.DIRECT), new SlabStart(), new SlabEnd(),
            new LruShrinkInactive()};
    }

    /** A chunk parsed ahead on a worker thread, into tables of its own. */
    static ChunkTally ahead(EventFields fields, Limits limits) {
        return new ChunkTally(fields, Tables.ahead(limits));
    }

    /** A chunk parsed in place: {@code stats}, {@code carry}, {@code clocks}, {@code losses} are the whole trace's. */
    static ChunkTally inPlace(EventFields fields, Stats stats, SpanCarry carry, CpuClocks clocks, LossLog losses) {
        return new ChunkTally(fields, Tables.inPlace(stats, carry, clocks, losses));
    }

    @Override
    public void line(byte[] b, int start, int end) {
        counts.lines++;
        switch (TraceLineParser.parse(b, start, end, line)) {
            case EVENT -> event(b, start, end);
            case HEADER -> counts.headerLines++;
            case BUFFER_STARTED -> counts.bufferStarted++;
            case LOST_EVENTS -> {
                sawLoss = true;
                long lost = line.lostEvents();
                boolean uncounted = lost == 0 && Bytes.indexOf(b, start, end, LOST_UNCOUNTED) >= 0;
                int verdict = lost < 0 ? LineCheck.LOST_COUNT
                        : tally.lost(line.cpu(), uncounted ? -1 : lost, tally.losses.lastEventTs);
                if (verdict != LineCheck.OK) {
                    skip(b, start, end, verdict);
                }
            }
            case BLANK -> { }
            case MALFORMED -> skip(b, start, end, LineCheck.MISSING);
        }
    }

    private void event(byte[] b, int start, int end) {
        int verdict = tally.admit(line.cpu(), line.timestampNs());
        if (verdict != LineCheck.OK) {
            skip(b, start, end, verdict);
            return;
        }
        int id = stats.events.intern(b, line.eventStart(), line.eventEnd(), line.eventHash());
        Handler handler = id < handlers.length ? handlers[id] : other;
        buf = b;
        verdict = handler.handle(b, line.fieldsStart(), line.fieldsEnd(), id);
        if (verdict == LineCheck.OK) {
            tally.accepted(line.timestampNs());
        } else {
            skip(b, start, end, verdict); // a known event without a value it must have, or with one that cannot be
        }
    }

    @Override
    public void overlongLine(byte[] b, int start, int end, long length) {
        counts.lines++;
        counts.skippedLines++;
        counts.sample("(" + length + " bytes) " + Bytes.printable(b, start, end, 80));
    }

    private void skip(byte[] b, int start, int end, int verdict) {
        counts.skip(verdict, LineCheck.shown(verdict) + Bytes.printable(b, start, end, ChunkReader.OVERLONG_SHOWN));
    }

    @Override
    public int pid() {
        return line.pid();
    }

    @Override
    public int cpu() {
        return line.cpu();
    }

    @Override
    public long ts() {
        return line.timestampNs();
    }

    @Override
    public int comm() {
        return stats.comms.intern(buf, line.commStart(), line.commEnd());
    }

    /** One event type: reads its values from the current {@link #line} and hands them to the {@link EventTally}. */
    private abstract static class Handler {
        abstract int handle(byte[] b, int from, int to, int eventId);
    }

    /** {@code mm_vmscan_memcg_reclaim_begin}, {@code mm_vmscan_direct_reclaim_begin}. */
    private final class ReclaimBegin extends Handler {
        private final int kind;

        ReclaimBegin(int kind) {
            this.kind = kind;
        }

        @Override
        int handle(byte[] b, int from, int to, int eventId) {
            return tally.reclaimBegin(kind);
        }
    }

    /** {@code mm_vmscan_memcg_reclaim_end: nr_reclaimed=N} (and direct). */
    private final class ReclaimEnd extends Handler {
        private final int kind;
        private final byte[] label;

        ReclaimEnd(int kind) {
            this.kind = kind;
            this.label = kind == Stats.MEMCG ? fields.memcgNrReclaimed() : fields.directNrReclaimed();
        }

        @Override
        int handle(byte[] b, int from, int to, int eventId) {
            int at = Bytes.indexOf(b, from, to, label);
            return tally.reclaimEnd(kind, at < 0 ? Bytes.NO_NUMBER : Bytes.number(b, at + label.length, to));
        }
    }

    /** {@code mm_shrink_slab_start: super_cache_scan+0x0/0x210 ...}. */
    private final class SlabStart extends Handler {
        @Override
        int handle(byte[] b, int from, int to, int eventId) {
            return tally.slabStart(shrinkerEnd(b, from, to) - from);
        }
    }

    /** {@code mm_shrink_slab_end: super_cache_scan+0x0/0x210 ... last shrinker return val N}. */
    private final class SlabEnd extends Handler {
        @Override
        int handle(byte[] b, int from, int to, int eventId) {
            int nameEnd = shrinkerEnd(b, from, to);
            if (LineCheck.ofName(nameEnd - from) != LineCheck.OK) {
                return LineCheck.ofName(nameEnd - from);
            }
            return tally.slabEnd(b, from, nameEnd, lastValue(b, nameEnd, to, fields.slabFreed()));
        }
    }

    /** {@code mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=... nr_reclaimed=... priority=12 flags=...}. */
    private final class LruShrinkInactive extends Handler {
        /** Where the next field search starts: fields come in print order, so one sweep finds them all. */
        private int cursor;

        @Override
        int handle(byte[] b, int from, int to, int eventId) {
            cursor = from;
            long scanned = next(b, from, to, fields.lruNrScanned());
            long reclaimed = next(b, from, to, fields.lruNrReclaimed());
            long priority = next(b, from, to, fields.lruPriority());
            byte[] label = fields.lruFlags();
            int flags = Bytes.indexOf(b, cursor, to, label);
            if (flags < 0) {
                flags = Bytes.indexOf(b, from, to, label);
            }
            if (flags < 0) {
                return LineCheck.MISSING;
            }
            flags += label.length;
            int flagsEnd = Bytes.tokenEnd(b, flags, to);
            int type = Bytes.indexOf(b, flags, flagsEnd, ANON) >= 0 ? LruTally.ANON
                    : Bytes.indexOf(b, flags, flagsEnd, FILE) >= 0 ? LruTally.FILE : LruTally.OTHER;
            return tally.lruShrinkInactive(type, scanned, reclaimed, priority);
        }

        /** The number after {@code label}, from the cursor on, or from the start for a kernel that orders fields otherwise. */
        private long next(byte[] b, int from, int to, byte[] label) {
            int at = Bytes.indexOf(b, cursor, to, label);
            if (at < 0 && cursor > from) {
                at = Bytes.indexOf(b, from, to, label);
            }
            if (at < 0) {
                return Bytes.NO_NUMBER;
            }
            cursor = at + label.length;
            return Bytes.number(b, cursor, to);
        }
    }

    /** Any other event: counted by name and task. */
    private final class Other extends Handler {
        @Override
        int handle(byte[] b, int from, int to, int eventId) {
            return tally.other(eventId);
        }
    }

    /**
     * The last number of the line ({@code ... last shrinker return val 0}): read from the end, with the label checked
     * right before it; searched for only when it is not there.
     */
    private static long lastValue(byte[] b, int from, int to, byte[] label) {
        int at = to;
        while (at > from && (b[at - 1] >= '0' && b[at - 1] <= '9' || b[at - 1] == '-')) {
            at--;
        }
        if (at < to && at - label.length >= from && Bytes.startsWith(b, at - label.length, to, label)) {
            return Bytes.number(b, at, to);
        }
        int found = Bytes.lastIndexOf(b, from, to, label);
        return found < 0 ? Bytes.NO_NUMBER : Bytes.number(b, found + label.length, to);
    }

    /** {@code super_cache_scan+0x0/0x210 ffff...: nid: 0 ...}: the function name ends at '+', ' ' or ':'. */
    private static int shrinkerEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to && !ENDS_SHRINKER[b[i] & 0xff]) {
            i++;
        }
        return i;
    }
}
