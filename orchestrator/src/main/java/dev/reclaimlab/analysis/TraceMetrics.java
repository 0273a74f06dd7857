package dev.reclaimlab.analysis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one trace says about reclaim, written as {@code metrics.json} beside it (format
 * {@value #FORMAT}, version {@value #VERSION}; fields are only ever added). The JSON names are snake_case forms of
 * these components and are a contract: {@code orchestrator/src/main/resources/schema/metrics.schema.json} documents
 * each of them and the tests hold every metrics.json we write to it. Absent figures (no pairs, nothing to divide
 * by) are left out rather than written as zero.
 *
 * @param lines              lines read, header lines included
 * @param events             event lines understood
 * @param headerLines        {@code #} lines
 * @param skippedLines       lines that were neither headers nor readable events (cut, garbled, overlong, other tracers,
 *                           values that cannot be real)
 * @param skippedSamples     the first few skipped lines, with their line numbers
 * @param lostEvents         the sum of M over {@code CPU:N [LOST M EVENTS]} lines
 * @param lostEventRecords   how many such lines there were
 * @param bufferStartedLines {@code ##### CPU N buffer started ####} lines
 * @param firstTs            timestamp of the first event line, seconds (trace clock); absent without events
 * @param lastTs             timestamp of the last event line, seconds
 * @param eventCounts        event lines per event name
 * @param memcgReclaim       {@code mm_vmscan_memcg_reclaim_begin/end}
 * @param directReclaim      {@code mm_vmscan_direct_reclaim_begin/end}
 * @param shrinkSlab         {@code mm_shrink_slab_start/end}
 * @param lruShrinkInactive  {@code mm_vmscan_lru_shrink_inactive}
 * @param perCpuSeconds      per CPU and second, the {@code mm_vmscan_memcg_reclaim_end} table of seed 000 §6
 * @param byComm             per task name
 * @param formats            events whose fields were located with the trace's own format files
 * @param skippedFormatFiles   format files that were left out: too large to be one, unreadable, without a name
 * @param skippedFormatSamples the first few of them, with the reason
 * @param malformed          values that cannot be real: counted, their lines skipped, never summed
 * @param dropped            what did not fit the analysis' tables ({@link Limits}): non-zero means incomplete figures
 * @param lost               lost-events records per CPU and when (text: {@code CPU:N [LOST M EVENTS]} lines; binary:
 *                           pages flagged RB_MISSED_EVENTS)
 * @param falsifiedByLoss    when events were lost: the metrics that the loss can make wrong; absent otherwise
 * @param capture            a binary capture: what decoding its pages met; absent for text
 */
public record TraceMetrics(String format, int version, long lines, long events, long headerLines, long skippedLines,
                           List<SkippedLine> skippedSamples, long lostEvents, long lostEventRecords,
                           long bufferStartedLines, Double firstTs, Double lastTs, Map<String, Long> eventCounts,
                           Reclaim memcgReclaim, Reclaim directReclaim, ShrinkSlab shrinkSlab,
                           LruShrinkInactive lruShrinkInactive, List<CpuSecond> perCpuSeconds,
                           Map<String, Comm> byComm, List<String> formats, long skippedFormatFiles,
                           List<SkippedFormat> skippedFormatSamples, Malformed malformed, Dropped dropped, Lost lost,
                           List<String> falsifiedByLoss, Capture capture) {
    public TraceMetrics {
        skippedSamples = skippedSamples == null ? null : List.copyOf(skippedSamples);
        eventCounts = eventCounts == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(eventCounts));
        perCpuSeconds = perCpuSeconds == null ? null : List.copyOf(perCpuSeconds);
        byComm = byComm == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(byComm));
        formats = formats == null ? null : List.copyOf(formats);
        skippedFormatSamples = skippedFormatSamples == null ? null : List.copyOf(skippedFormatSamples);
        falsifiedByLoss = falsifiedByLoss == null ? null : List.copyOf(falsifiedByLoss);
    }

    public static final String FORMAT = "reclaim-lab/metrics";
    public static final int VERSION = 1;

    /** A line that was skipped: 1-based line number and its text (control bytes as '?', cut to 160 characters). */
    public record SkippedLine(long line, String text) {}

    /** A format file that was left out: its path under formats/, and why. */
    public record SkippedFormat(String file, String reason) {}

    /**
     * Values that cannot be real. Lines are counted here by reason and also in {@code skippedLines}; none of their
     * values is summed into any figure.
     *
     * @param negativeValues        lines with a negative nr_reclaimed or nr_scanned (the kernel prints them unsigned)
     * @param implausibleValues     lines with a count above 2^40, or a shrinker name longer than a kernel symbol
     * @param implausibleLostCounts {@code [LOST M EVENTS]} lines whose M is a wrapped counter rather than a loss
     * @param noSuchCpu             event lines on a CPU number no kernel has (16384 or more)
     * @param overflowedTotals      totals that reached 2^63-1 and stopped there rather than wrap: lower bounds
     * @param backwardsTimestamps   event lines earlier than the line before them on the same CPU
     */
    public record Malformed(long negativeValues, long implausibleValues, long implausibleLostCounts, long noSuchCpu,
                            long overflowedTotals, long backwardsTimestamps) {}

    /**
     * What did not fit the analysis' tables ({@link Limits}: far beyond real traces, reached by crafted or broken
     * ones). Each non-zero counter says which figures are incomplete.
     *
     * @param openTasks  reclaim and shrink_slab begins not paired because as many other tasks had a begin open (they
     *                   count as unpaired)
     * @param comms      event lines counted under the task name (other) in {@code byComm}
     * @param shrinkers  mm_shrink_slab_end events counted under the shrinker (other)
     * @param eventNames event lines counted under the event name (other) in {@code eventCounts}
     * @param cpuSeconds memcg reclaim ends left out of {@code perCpuSeconds}: its table of rows was full
     * @param priorities lru_shrink_inactive events left out of {@code priority}: too many odd priorities
     */
    public record Dropped(long openTasks, long comms, long shrinkers, long eventNames, long cpuSeconds,
                          long priorities) {}

    /**
     * Lost-events records. A span that one fell inside, on its CPU, is counted {@code broken}, not measured.
     *
     * @param events         events the records counted (those that said how many)
     * @param records        lost-events records
     * @param unknownRecords records that did not say how many ({@code [LOST EVENTS]}, or a page with RB_MISSED_EVENTS
     *                       but no stored count): {@code events} is then a lower bound
     * @param byCpu          the same per CPU, with when
     * @param firstTs        when the first record was, seconds of the trace clock (binary: its page's time stamp;
     *                       text: the time of the event line before it)
     * @param lastTs         when the last one was
     */
    public record Lost(long events, long records, long unknownRecords, Map<String, LostOnCpu> byCpu, Double firstTs,
                       Double lastTs) {
        public Lost {
            byCpu = byCpu == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(byCpu));
        }
    }

    /** {@link Lost} on one CPU. */
    public record LostOnCpu(long events, long records, long unknownRecords, Double firstTs, Double lastTs) {}

    /**
     * What decoding a binary capture's ring-buffer pages met. Damage is counted and skipped, never fatal.
     *
     * @param cpus              CPUs with pages
     * @param pages             pages read
     * @param records           event records decoded
     * @param discarded         discarded events skipped (not damage: the kernel discards events a filter rejects)
     * @param timeExtends       time-extend items
     * @param timeStamps        absolute time stamps
     * @param truncatedPages    a last page shorter than a page: the capture was cut
     * @param badCommitPages    pages whose commit claims more than a page holds: skipped whole
     * @param badEvents         events whose length cannot be: the rest of their page skipped
     * @param skippedBytes      page bytes skipped because of the two above
     * @param unknownEventIds   records whose common_type has no format file: counted, not analysed
     * @param shortRecords      records too short for the fields their format says they have
     */
    public record Capture(long cpus, long pages, long records, long discarded, long timeExtends, long timeStamps,
                          long truncatedPages, long badCommitPages, long badEvents, long skippedBytes,
                          long unknownEventIds, long shortRecords) {}

    /**
     * Begin/end pairs of one reclaim path, paired per task (pid). {@code count} is the number of pairs;
     * {@code unpaired} the begins and ends without a partner (an end before its begin counts twice); {@code broken}
     * the pairs a lost-events record on their CPU fell inside, which are not latency samples.
     */
    public record Reclaim(long begins, long ends, long count, long unpaired, long broken, Latency latencyUs,
                          List<Bucket> histogram, NrReclaimed nrReclaimed) {
        public Reclaim {
            histogram = histogram == null ? null : List.copyOf(histogram);
        }
    }

    /**
     * Durations in microseconds. Percentiles come from HdrHistogram: exact below 2048 µs, within 0.1% above (3
     * significant digits); max, mean and total are exact.
     */
    public record Latency(double p50, double p90, double p99, double max, double mean, double total) {}

    /** Log-scale histogram bucket: pairs that took at least {@code geUs} and less than {@code ltUs} µs. */
    public record Bucket(long geUs, Long ltUs, long count) {}

    /**
     * {@code nr_reclaimed} of every end event. {@code counts[i]} is how many freed exactly i pages (i &lt; 32),
     * {@code lt32} their sum, {@code ge32} how many freed 32 or more.
     */
    public record NrReclaimed(long count, long sum, Double mean, long lt32, long ge32, long[] counts) {}

    /**
     * {@code shrink_slab} calls: start/end pairs per task, per shrinker function, and how much of the time of paired
     * memcg (direct) reclaims was spent inside shrink_slab calls that ended while the same task's reclaim was open.
     */
    public record ShrinkSlab(long starts, long ends, long count, long unpaired, long broken, Latency latencyUs,
                             List<Bucket> histogram, double totalUs, long freedObjects, double insideMemcgReclaimUs,
                             Double shareOfMemcgReclaim, double insideDirectReclaimUs, Double shareOfDirectReclaim,
                             Map<String, Shrinker> shrinkers) {
        public ShrinkSlab {
            histogram = histogram == null ? null : List.copyOf(histogram);
            shrinkers = shrinkers == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(shrinkers));
        }
    }

    /** One shrinker function ({@code super_cache_scan}, {@code deferred_split_scan}, ...). */
    public record Shrinker(long count, Latency latencyUs, double totalUs, long freedObjects) {}

    /** ANON vs FILE inactive-list shrinking (seed 000 §7.2), and how deep reclaim had to go. */
    public record LruShrinkInactive(long events, long anonEvents, long fileEvents, long otherEvents, LruType anon,
                                    LruType file, long nrScanned, long nrReclaimed, Double reclaimEfficiency,
                                    Map<String, Long> priority) {
        public LruShrinkInactive {
            priority = priority == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(priority));
        }
    }

    /** Pages scanned and reclaimed from one LRU type; reclaim efficiency = reclaimed / scanned. */
    public record LruType(long nrScanned, long nrReclaimed, Double reclaimEfficiency) {}

    /** One row of the per-CPU-second table: memcg reclaim ends on {@code cpu} during {@code second}. */
    public record CpuSecond(int cpu, long second, long reclaims, double avgNrReclaimed, long lt32, long ge32,
                            long[] counts) {}

    /** What one task name did. */
    public record Comm(long events, long memcgReclaims, double memcgReclaimUs, long directReclaims,
                       double directReclaimUs, long shrinkSlabCalls, double shrinkSlabUs) {}
}
