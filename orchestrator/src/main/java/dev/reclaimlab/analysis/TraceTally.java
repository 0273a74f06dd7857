package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.FormatFiles;
import java.util.List;

/**
 * The whole trace so far: chunks absorbed strictly in file order. Order-free tallies are added up; begin/end pairs
 * that cross a chunk boundary are completed by the {@link SpanCarry}; line numbers of skipped lines are made global.
 * A chunk is either parsed ahead into tables of its own and merged here, if it fits ({@link #canAbsorb}), or parsed in
 * place straight into these tables ({@link #inPlace}); a binary capture's time slices likewise ({@link #records}).
 */
final class TraceTally {
    /**
     * What lost events can make wrong, named as metrics.json paths: every count can miss events, a pair whose end (or a
     * second begin) was lost is counted broken or unpaired instead of measured, and long spans are likelier to contain
     * a loss, so what remains of a latency distribution is biased short.
     */
    static final List<String> FALSIFIED_BY_LOSS = List.of("events", "event_counts", "memcg_reclaim.begins",
            "memcg_reclaim.ends", "memcg_reclaim.count", "memcg_reclaim.unpaired", "memcg_reclaim.latency_us",
            "memcg_reclaim.histogram", "memcg_reclaim.nr_reclaimed", "direct_reclaim.begins", "direct_reclaim.ends",
            "direct_reclaim.count", "direct_reclaim.unpaired", "direct_reclaim.latency_us", "direct_reclaim.histogram",
            "direct_reclaim.nr_reclaimed", "shrink_slab", "lru_shrink_inactive", "per_cpu_seconds", "by_comm");

    private final Stats stats;
    private final SpanCarry carry;
    private final CpuClocks clocks = new CpuClocks(false);
    private final LossLog losses = new LossLog();
    private final List<String> formats;
    private final FormatFiles.Loaded formatFiles;
    private final PassCounts total = new PassCounts();
    private TraceMetrics.Capture capture;
    private boolean finished;

    /** {@code formats}: events whose labels came from {@code formatFiles}. */
    TraceTally(List<String> formats, FormatFiles.Loaded formatFiles, Limits limits) {
        this.formats = formats;
        this.formatFiles = formatFiles;
        this.stats = new Stats(limits, false);
        this.carry = new SpanCarry(stats, limits.openTasks(), losses);
    }

    /** A tally for the next chunk that parses it straight into the whole trace's tables; then {@link #absorb} it. */
    ChunkTally inPlace(EventFields fields) {
        return ChunkTally.inPlace(fields, stats, carry, clocks, losses);
    }

    /**
     * A tally for the next slice of a binary capture's records, in time order, straight into the whole trace's tables;
     * then {@link #absorb} it.
     */
    RecordTally records(RecordFields fields) {
        return RecordTally.inPlace(fields, stats, carry, clocks, losses);
    }

    /** What decoding the capture's pages met (absent for text). */
    void capture(TraceMetrics.Capture decoded) {
        this.capture = decoded;
    }

    /**
     * Whether the next chunk in file order, parsed ahead, merges into exactly what parsing it in place would have
     * given: it met none of its own limits, its tasks cannot take the table of open tasks past its limit, and its
     * first line on each CPU is not earlier than that CPU's last line before it. If not, it must be parsed again in
     * place.
     */
    boolean canAbsorb(ChunkPart chunk) {
        return chunk.inPlace || !chunk.stopped() && carry.canAbsorb(chunk.pairing) && clocks.follows(chunk.clocks);
    }

    /** The next chunk in file order. */
    void absorb(ChunkPart chunk) {
        if (!chunk.inPlace) {
            if (!canAbsorb(chunk)) {
                throw new IllegalStateException("a chunk parsed ahead that does not fit must be parsed in place");
            }
            stats.absorb(chunk.stats);
            carry.absorb(chunk.pairing, chunk.stats);
            clocks.absorb(chunk.clocks);
            if (chunk.counts.lastTs != PassCounts.NO_TS) {
                losses.lastEventTs = chunk.counts.lastTs;
            }
        }
        PassCounts c = chunk.counts;
        for (TraceMetrics.SkippedLine s : c.samples) {
            if (total.samples.size() < PassCounts.SAMPLES) {
                total.samples.add(new TraceMetrics.SkippedLine(total.lines + s.line(), s.text()));
            }
        }
        total.lines += c.lines;
        total.headerLines += c.headerLines;
        total.skippedLines += c.skippedLines;
        for (int i = 0; i < LineCheck.COUNT; i++) {
            total.malformed[i] += c.malformed[i];
        }
        total.lostEvents = Saturating.add(total.lostEvents, c.lostEvents);
        total.lostRecords += c.lostRecords;
        total.bufferStarted += c.bufferStarted;
        if (total.firstTs == PassCounts.NO_TS) {
            total.firstTs = c.firstTs;
        }
        if (c.lastTs != PassCounts.NO_TS) {
            total.lastTs = c.lastTs;
        }
    }

    TraceMetrics metrics() {
        if (!finished) {
            carry.finish();
            finished = true;
        }
        long[] malformed = total.malformed;
        return new TraceMetrics(TraceMetrics.FORMAT, TraceMetrics.VERSION, total.lines, stats.totalEvents(),
                total.headerLines, total.skippedLines, List.copyOf(total.samples), total.lostEvents, total.lostRecords,
                total.bufferStarted, seconds(total.firstTs), seconds(total.lastTs), stats.eventCounts(),
                stats.reclaim(Stats.MEMCG), stats.reclaim(Stats.DIRECT), stats.shrinkSlab(), stats.lru.metrics(),
                stats.cpuSeconds.metrics(), stats.byComm(), formats, formatFiles.skipped(),
                formatFiles.samples().stream().map(s -> new TraceMetrics.SkippedFormat(s.file(), s.reason())).toList(),
                new TraceMetrics.Malformed(malformed[LineCheck.NEGATIVE], malformed[LineCheck.IMPLAUSIBLE],
                        malformed[LineCheck.LOST_COUNT], malformed[LineCheck.NO_SUCH_CPU],
                        stats.overflowedTotals() + Saturating.hit(total.lostEvents), malformed[LineCheck.BACKWARDS]),
                stats.dropped(), losses.metrics(), total.lostRecords > 0 ? FALSIFIED_BY_LOSS : null, capture);
    }

    static Double seconds(long ns) {
        return ns == PassCounts.NO_TS ? null : ns / 1e9;
    }
}
