package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.FormatFiles;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole trace so far: chunks absorbed strictly in file order. Order-free tallies are added up; begin/end pairs
 * that cross a chunk boundary are completed by the {@link SpanCarry}; line numbers of skipped lines are made global.
 * A chunk is either parsed ahead into tables of its own and merged here, if it fits ({@link #canAbsorb}), or parsed in
 * place straight into these tables ({@link #inPlace}).
 */
final class TraceTally {
    private final Stats stats;
    private final SpanCarry carry;
    private final CpuClocks clocks = new CpuClocks(false);
    private final List<String> formats;
    private final FormatFiles.Loaded formatFiles;
    private long lines;
    private long headerLines;
    private long skippedLines;
    private final long[] malformed = new long[LineCheck.COUNT];
    private long lostEvents;
    private long lostRecords;
    private long bufferStarted;
    private long firstTs = ChunkTally.NO_TS;
    private long lastTs = ChunkTally.NO_TS;
    private final List<TraceMetrics.SkippedLine> samples = new ArrayList<>();
    private boolean finished;

    /** {@code formats}: events whose labels came from {@code formatFiles}. */
    TraceTally(List<String> formats, FormatFiles.Loaded formatFiles, Limits limits) {
        this.formats = formats;
        this.formatFiles = formatFiles;
        this.stats = new Stats(limits, false);
        this.carry = new SpanCarry(stats, limits.openTasks());
    }

    /** A tally for the next chunk that parses it straight into the whole trace's tables; then {@link #absorb} it. */
    ChunkTally inPlace(EventFields fields) {
        return ChunkTally.inPlace(fields, stats, carry, clocks);
    }

    /**
     * Whether the next chunk in file order, parsed ahead, merges into exactly what parsing it in place would have
     * given: it met none of its own limits, its tasks cannot take the table of open tasks past its limit, and its
     * first line on each CPU is not earlier than that CPU's last line before it. If not, it must be parsed again in
     * place.
     */
    boolean canAbsorb(ChunkTally chunk) {
        return chunk.inPlace || !chunk.stopped() && carry.canAbsorb(chunk.pairing) && clocks.follows(chunk.clocks);
    }

    /** The next chunk in file order. */
    void absorb(ChunkTally chunk) {
        if (!chunk.inPlace) {
            if (!canAbsorb(chunk)) {
                throw new IllegalStateException("a chunk parsed ahead that does not fit must be parsed in place");
            }
            stats.absorb(chunk.stats);
            carry.absorb(chunk.pairing, chunk.stats);
            clocks.absorb(chunk.clocks);
        }
        for (TraceMetrics.SkippedLine s : chunk.samples) {
            if (samples.size() < ChunkTally.SAMPLES) {
                samples.add(new TraceMetrics.SkippedLine(lines + s.line(), s.text()));
            }
        }
        lines += chunk.lines;
        headerLines += chunk.headerLines;
        skippedLines += chunk.skippedLines;
        for (int i = 0; i < LineCheck.COUNT; i++) {
            malformed[i] += chunk.malformed[i];
        }
        lostEvents = Saturating.add(lostEvents, chunk.lostEvents);
        lostRecords += chunk.lostRecords;
        bufferStarted += chunk.bufferStarted;
        if (firstTs == ChunkTally.NO_TS) {
            firstTs = chunk.firstTs;
        }
        if (chunk.lastTs != ChunkTally.NO_TS) {
            lastTs = chunk.lastTs;
        }
    }

    TraceMetrics metrics() {
        if (!finished) {
            carry.finish();
            finished = true;
        }
        return new TraceMetrics(TraceMetrics.FORMAT, TraceMetrics.VERSION, lines, stats.totalEvents(), headerLines,
                skippedLines, List.copyOf(samples), lostEvents, lostRecords, bufferStarted, seconds(firstTs),
                seconds(lastTs), stats.eventCounts(), stats.reclaim(Stats.MEMCG), stats.reclaim(Stats.DIRECT),
                stats.shrinkSlab(), stats.lru.metrics(), stats.cpuSeconds.metrics(), stats.byComm(), formats,
                formatFiles.skipped(), formatFiles.samples().stream()
                        .map(s -> new TraceMetrics.SkippedFormat(s.file(), s.reason())).toList(),
                new TraceMetrics.Malformed(malformed[LineCheck.NEGATIVE], malformed[LineCheck.IMPLAUSIBLE],
                        malformed[LineCheck.LOST_COUNT], malformed[LineCheck.NO_SUCH_CPU],
                        stats.overflowedTotals() + Saturating.hit(lostEvents), malformed[LineCheck.BACKWARDS]),
                stats.dropped());
    }

    private static Double seconds(long ns) {
        return ns == ChunkTally.NO_TS ? null : ns / 1e9;
    }
}
