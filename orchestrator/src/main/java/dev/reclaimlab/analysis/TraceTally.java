package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.FormatFiles;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole trace so far: chunks absorbed strictly in file order. Order-free tallies are added up; begin/end pairs
 * that cross a chunk boundary are completed by the {@link SpanCarry}; line numbers of skipped lines are made global.
 */
final class TraceTally {
    private final Stats stats = new Stats();
    private final SpanCarry carry = new SpanCarry(stats);
    private final List<String> formats;
    private final FormatFiles.Loaded formatFiles;
    private long lines;
    private long headerLines;
    private long skippedLines;
    private final long[] malformed = new long[Verdict.COUNT];
    private long lostEvents;
    private long lostRecords;
    private long bufferStarted;
    private long firstTs = ChunkTally.NO_TS;
    private long lastTs = ChunkTally.NO_TS;
    private final List<TraceMetrics.SkippedLine> samples = new ArrayList<>();
    private boolean finished;

    /** {@code formats}: events whose labels came from {@code formatFiles}. */
    TraceTally(List<String> formats, FormatFiles.Loaded formatFiles) {
        this.formats = formats;
        this.formatFiles = formatFiles;
    }

    /** The next chunk in file order. */
    void absorb(ChunkTally chunk) {
        stats.absorb(chunk.stats);
        carry.absorb(chunk.pairing, chunk.stats);
        for (TraceMetrics.SkippedLine s : chunk.samples) {
            if (samples.size() < ChunkTally.SAMPLES) {
                samples.add(new TraceMetrics.SkippedLine(lines + s.line(), s.text()));
            }
        }
        lines += chunk.lines;
        headerLines += chunk.headerLines;
        skippedLines += chunk.skippedLines;
        for (int i = 0; i < Verdict.COUNT; i++) {
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
                new TraceMetrics.Malformed(malformed[Verdict.NEGATIVE], malformed[Verdict.IMPLAUSIBLE],
                        malformed[Verdict.LOST_COUNT], malformed[Verdict.NO_SUCH_CPU],
                        stats.overflowedTotals() + Saturating.hit(lostEvents)));
    }

    private static Double seconds(long ns) {
        return ns == ChunkTally.NO_TS ? null : ns / 1e9;
    }
}
