package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.Bytes;
import dev.reclaimlab.trace.ChunkReader;
import dev.reclaimlab.trace.TraceLine;
import dev.reclaimlab.trace.TraceLineParser;
import java.util.ArrayList;
import java.util.List;

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
final class ChunkTally implements ChunkReader.LineConsumer {
    static final int SAMPLES = 5;
    static final long NO_TS = Long.MIN_VALUE;
    private static final byte[] ANON = Bytes.ascii("RECLAIM_WB_ANON");
    private static final byte[] FILE = Bytes.ascii("RECLAIM_WB_FILE");
    private static final boolean[] ENDS_SHRINKER = new boolean[256];

    static {
        ENDS_SHRINKER['+'] = true;
        ENDS_SHRINKER[' '] = true;
        ENDS_SHRINKER[':'] = true;
    }

    final Stats stats;
    final SpanPairing pairing;
    final CpuClocks clocks;
    /** Parsed into the whole trace's tables: nothing to merge but the line counts. */
    final boolean inPlace;
    private final EventFields fields;
    private final TraceLine line = new TraceLine();
    /** By event id, in {@link Stats#KNOWN_EVENTS} order; other events are only counted. */
    private final Handler[] handlers;
    private final Handler other = new Other();

    long lines;
    long headerLines;
    long skippedLines;
    /** Skipped lines by {@link LineCheck}: unreadable, a count negative or implausible, a wrapped lost count, ... */
    final long[] malformed = new long[LineCheck.COUNT];
    long lostEvents;
    long lostRecords;
    long bufferStarted;
    long firstTs = NO_TS;
    long lastTs = NO_TS;
    /** Skipped lines with their line number within this chunk (1-based). */
    final List<TraceMetrics.SkippedLine> samples = new ArrayList<>();

    private ChunkTally(EventFields fields, Stats stats, SpanPairing pairing, CpuClocks clocks, boolean inPlace) {
        this.fields = fields;
        this.stats = stats;
        this.pairing = pairing;
        this.clocks = clocks;
        this.inPlace = inPlace;
        this.handlers = new Handler[] {new ReclaimBegin(Stats.MEMCG), new ReclaimEnd(Stats.MEMCG),
            new ReclaimBegin(Stats.DIRECT), new ReclaimEnd(Stats.DIRECT), new SlabStart(), new SlabEnd(),
            new LruShrinkInactive()};
    }

    /** A chunk parsed ahead on a worker thread, into tables of its own. */
    static ChunkTally ahead(EventFields fields, Limits limits) {
        Stats stats = new Stats(limits, true);
        return new ChunkTally(fields, stats, new SpanPairing(stats, limits.aheadTasks()), new CpuClocks(true), false);
    }

    /** A chunk parsed in place: {@code stats}, {@code carry} and {@code clocks} are the whole trace's. */
    static ChunkTally inPlace(EventFields fields, Stats stats, SpanCarry carry, CpuClocks clocks) {
        return new ChunkTally(fields, stats, new SpanPairing(stats, carry), clocks, true);
    }

    /** Parsed ahead, it met a limit of its own: what it holds is incomplete, and it will be parsed again in place. */
    @Override
    public boolean stopped() {
        return !inPlace && (stats.overflowed() || pairing.overflowed());
    }

    @Override
    public void line(byte[] b, int start, int end) {
        lines++;
        switch (TraceLineParser.parse(b, start, end, line)) {
            case EVENT -> event(b, start, end);
            case HEADER -> headerLines++;
            case BUFFER_STARTED -> bufferStarted++;
            case LOST_EVENTS -> {
                long lost = line.lostEvents();
                if (lost < 0 || lost > Plausible.MAX_LOST) {
                    skip(b, start, end, LineCheck.LOST_COUNT);
                } else {
                    lostEvents = Saturating.add(lostEvents, lost);
                    lostRecords++;
                }
            }
            case BLANK -> { }
            case MALFORMED -> skip(b, start, end, LineCheck.MISSING);
        }
    }

    private void event(byte[] b, int start, int end) {
        if (line.cpu() >= Plausible.MAX_CPUS) {
            skip(b, start, end, LineCheck.NO_SUCH_CPU);
            return;
        }
        if (!clocks.inOrder(line.cpu(), line.timestampNs())) {
            skip(b, start, end, LineCheck.BACKWARDS);
            return;
        }
        int id = stats.events.intern(b, line.eventStart(), line.eventEnd(), line.eventHash());
        Handler handler = id < handlers.length ? handlers[id] : other;
        int verdict = handler.handle(b, line.fieldsStart(), line.fieldsEnd(), line.timestampNs());
        if (verdict == LineCheck.OK) {
            if (firstTs == NO_TS) {
                firstTs = line.timestampNs();
            }
            lastTs = line.timestampNs();
        } else {
            skip(b, start, end, verdict); // a known event without a value it must have, or with one that cannot be
        }
    }

    @Override
    public void overlongLine(byte[] b, int start, int end, long length) {
        lines++;
        skippedLines++;
        if (samples.size() < SAMPLES) {
            samples.add(new TraceMetrics.SkippedLine(lines, "(" + length + " bytes) " + Bytes.printable(b, start, end, 80)));
        }
    }

    private void skip(byte[] b, int start, int end, int verdict) {
        skippedLines++;
        malformed[verdict]++;
        if (samples.size() < SAMPLES) {
            samples.add(new TraceMetrics.SkippedLine(lines,
                    LineCheck.shown(verdict) + Bytes.printable(b, start, end, ChunkReader.OVERLONG_SHOWN)));
        }
    }

    /** One event type: tallies the current {@link #line} and returns {@link LineCheck#OK}, or why it cannot. */
    private abstract static class Handler {
        abstract int handle(byte[] b, int from, int to, long ts);
    }

    /** {@code mm_vmscan_memcg_reclaim_begin}, {@code mm_vmscan_direct_reclaim_begin}. */
    private final class ReclaimBegin extends Handler {
        private final int kind;

        ReclaimBegin(int kind) {
            this.kind = kind;
        }

        @Override
        int handle(byte[] b, int from, int to, long ts) {
            stats.begins[kind]++;
            pairing.reclaimBegin(kind, task(), ts);
            stats.event(kind == Stats.MEMCG ? Stats.MEMCG_BEGIN : Stats.DIRECT_BEGIN, comm(b));
            return LineCheck.OK;
        }
    }

    /** {@code mm_vmscan_memcg_reclaim_end: nr_reclaimed=N} (and direct): pairs, nr_reclaimed, per CPU second. */
    private final class ReclaimEnd extends Handler {
        private final int kind;
        private final byte[] label;

        ReclaimEnd(int kind) {
            this.kind = kind;
            this.label = kind == Stats.MEMCG ? fields.memcgNrReclaimed() : fields.directNrReclaimed();
        }

        @Override
        int handle(byte[] b, int from, int to, long ts) {
            int at = Bytes.indexOf(b, from, to, label);
            long nr = at < 0 ? Bytes.NO_NUMBER : Bytes.number(b, at + label.length, to);
            int verdict = LineCheck.ofCount(nr);
            if (verdict != LineCheck.OK) {
                return verdict;
            }
            stats.ends[kind]++;
            stats.nrReclaimed[kind].record(nr);
            if (kind == Stats.MEMCG) {
                stats.cpuSeconds.record(line.cpu(), ts, nr);
            }
            int comm = comm(b);
            pairing.reclaimEnd(kind, task(), ts, comm);
            stats.event(kind == Stats.MEMCG ? Stats.MEMCG_END : Stats.DIRECT_END, comm);
            return LineCheck.OK;
        }
    }

    /** {@code mm_shrink_slab_start: super_cache_scan+0x0/0x210 ...}. */
    private final class SlabStart extends Handler {
        @Override
        int handle(byte[] b, int from, int to, long ts) {
            int verdict = LineCheck.ofName(shrinkerEnd(b, from, to) - from);
            if (verdict != LineCheck.OK) {
                return verdict;
            }
            stats.slabStarts++;
            pairing.slabStart(task(), ts);
            stats.event(Stats.SLAB_START, comm(b));
            return LineCheck.OK;
        }
    }

    /** {@code mm_shrink_slab_end: super_cache_scan+0x0/0x210 ... last shrinker return val N}. */
    private final class SlabEnd extends Handler {
        @Override
        int handle(byte[] b, int from, int to, long ts) {
            int nameEnd = shrinkerEnd(b, from, to);
            int verdict = LineCheck.ofName(nameEnd - from);
            if (verdict != LineCheck.OK) {
                return verdict;
            }
            long freed = lastValue(b, nameEnd, to, fields.slabFreed());
            if (freed > Plausible.MAX_COUNT) {
                return LineCheck.IMPLAUSIBLE; // a negative value is SHRINK_STOP: it frees nothing, and is no damage
            }
            int shrinker = stats.shrinkers.intern(b, from, nameEnd);
            int comm = comm(b);
            stats.slabEnd(shrinker);
            if (freed > 0) {
                stats.slabFreed(shrinker, freed);
            }
            pairing.slabEnd(task(), ts, shrinker, comm);
            stats.event(Stats.SLAB_END, comm);
            return LineCheck.OK;
        }
    }

    /** {@code mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=... nr_reclaimed=... priority=12 flags=...}. */
    private final class LruShrinkInactive extends Handler {
        /** Where the next field search starts: fields come in print order, so one sweep finds them all. */
        private int cursor;

        @Override
        int handle(byte[] b, int from, int to, long ts) {
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
            int verdict = LineCheck.worse(LineCheck.ofCount(scanned), LineCheck.ofCount(reclaimed));
            if (verdict != LineCheck.OK) {
                return verdict;
            }
            flags += label.length;
            int flagsEnd = Bytes.tokenEnd(b, flags, to);
            int type = Bytes.indexOf(b, flags, flagsEnd, ANON) >= 0 ? LruTally.ANON
                    : Bytes.indexOf(b, flags, flagsEnd, FILE) >= 0 ? LruTally.FILE : LruTally.OTHER;
            stats.lru.record(type, scanned, reclaimed, priority);
            stats.event(Stats.LRU_SHRINK_INACTIVE, comm(b));
            return LineCheck.OK;
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
        int handle(byte[] b, int from, int to, long ts) {
            stats.event(stats.events.intern(b, line.eventStart(), line.eventEnd(), line.eventHash()), comm(b));
            return LineCheck.OK;
        }
    }

    private int task() {
        return SpanPairing.key(line.pid(), line.cpu());
    }

    private int comm(byte[] b) {
        return stats.comms.intern(b, line.commStart(), line.commEnd());
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
