package dev.reclaimlab.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Durations of begin/end pairs: an HdrHistogram of microseconds for percentiles (tracefs prints microseconds, so
 * values below 2048 µs are exact and larger ones within 0.1%; it grows to the largest value seen and merges), exact
 * count/total/max in nanoseconds, and power-of-two microsecond buckets for the log-scale histogram. Memory is fixed
 * by the range of values, not by how many there are.
 *
 * <p>Values reach the HdrHistogram in batches: recording is then one array store on the per-line path, and the
 * histogram's code is compiled once in {@link #flush} instead of into every event handler.
 *
 * <p>A chunk parsed ahead keeps its values instead ({@link #buffered}), and they reach the whole trace's histogram when
 * it is merged: a histogram is up to ~360 KB (3 significant digits up to 2^53 µs), and a chunk with a hundred
 * shrinkers each with one absurd duration would otherwise hold tens of MB, while its values are 8 bytes per pair of
 * a chunk of at most 32 MB.
 */
final class LatencyTally {
    /** Bucket 0 holds [0, 1) µs, bucket i holds [2^(i-1), 2^i) µs. */
    private static final int BUCKETS = 48;

    private static final int BATCH = 512;

    /** Null in a buffered tally. */
    private final Histogram histogram;
    private long[] pending;
    private int pendingCount;
    private final long[] buckets = new long[BUCKETS];
    private long count;
    private long totalNs;
    private long maxNs;

    private LatencyTally(boolean buffered) {
        histogram = buffered ? null : new Histogram(3);
        pending = new long[buffered ? 16 : BATCH];
    }

    /** The whole trace's: values go to its histogram. */
    static LatencyTally histogram() {
        return new LatencyTally(false);
    }

    /** For a chunk parsed ahead: values are kept until the merge. */
    static LatencyTally buffered() {
        return new LatencyTally(true);
    }

    void record(long ns) {
        long us = ns / 1000;
        if (pendingCount == pending.length) {
            full();
        }
        pending[pendingCount++] = (ns + 500) / 1000;
        buckets[us == 0 ? 0 : Math.min(BUCKETS - 1, 64 - Long.numberOfLeadingZeros(us))]++;
        count++;
        totalNs = Saturating.add(totalNs, ns);
        maxNs = Math.max(maxNs, ns);
    }

    /** The cold path of {@link #record}: the batch goes to the histogram, or a buffered tally grows. */
    private void full() {
        if (histogram == null) {
            pending = Arrays.copyOf(pending, pending.length * 2);
        } else {
            flush();
        }
    }

    private void flush() {
        if (histogram == null) {
            return;
        }
        for (int i = 0; i < pendingCount; i++) {
            histogram.recordValue(pending[i]);
        }
        pendingCount = 0;
    }

    /** Adds {@code other}'s durations; a buffered tally only ever absorbs buffered ones. */
    void absorb(LatencyTally other) {
        if (other.count == 0) {
            return;
        }
        if (other.histogram != null) {
            other.flush();
            flush();
            histogram.add(other.histogram);
        } else {
            for (int i = 0; i < other.pendingCount; i++) {
                if (pendingCount == pending.length) {
                    full();
                }
                pending[pendingCount++] = other.pending[i];
            }
        }
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] += other.buckets[i];
        }
        count += other.count;
        totalNs = Saturating.add(totalNs, other.totalNs);
        maxNs = Math.max(maxNs, other.maxNs);
    }

    long count() {
        return count;
    }

    long totalNs() {
        return totalNs;
    }

    /** Null without values: an absent figure is clearer than a zero latency. */
    TraceMetrics.Latency latency() {
        if (count == 0) {
            return null;
        }
        return new TraceMetrics.Latency(percentile(50), percentile(90), percentile(99), us(maxNs),
                us(totalNs / (double) count), us(totalNs));
    }

    /** The log-scale histogram from the first to the last non-empty bucket; null without values. */
    List<TraceMetrics.Bucket> buckets() {
        if (count == 0) {
            return null;
        }
        int first = 0;
        while (buckets[first] == 0) {
            first++;
        }
        int last = BUCKETS - 1;
        while (buckets[last] == 0) {
            last--;
        }
        List<TraceMetrics.Bucket> out = new ArrayList<>();
        for (int i = first; i <= last; i++) {
            out.add(new TraceMetrics.Bucket(i == 0 ? 0 : 1L << (i - 1), i == BUCKETS - 1 ? null : 1L << i, buckets[i]));
        }
        return out;
    }

    /**
     * HdrHistogram's value at or below which {@code p}% of durations fall, in µs: exact below 2048 µs, an upper bound
     * within 0.1% above; never above the exact maximum.
     */
    private double percentile(double p) {
        flush();
        return Math.min(histogram.getValueAtPercentile(p), us(maxNs));
    }

    /** Microseconds, rounded to the nanosecond. */
    static double us(double ns) {
        return Math.round(ns) / 1000.0;
    }
}
