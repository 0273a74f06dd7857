package dev.reclaimlab.analysis;

import java.util.ArrayList;
import java.util.List;

/**
 * What one pass over part of a trace counted besides the events' own figures: items read (lines of text, or records
 * and lost-events marks of a binary capture), skipped ones by reason with a few samples, and the time span of the
 * events understood. {@link TraceTally} adds them up in order.
 */
final class PassCounts {
    static final int SAMPLES = 5;
    static final long NO_TS = Long.MIN_VALUE;

    long lines;
    long headerLines;
    long skippedLines;
    /** Skipped items by {@link LineCheck}: unreadable, a count negative or implausible, a wrapped lost count, ... */
    final long[] malformed = new long[LineCheck.COUNT];
    long lostEvents;
    long lostRecords;
    long bufferStarted;
    long firstTs = NO_TS;
    long lastTs = NO_TS;
    /** Skipped items with their number within this pass (1-based). */
    final List<TraceMetrics.SkippedLine> samples = new ArrayList<>();

    /** An event was understood at {@code ts}. */
    void accepted(long ts) {
        if (firstTs == NO_TS) {
            firstTs = ts;
        }
        lastTs = ts;
    }

    /** The current item (number {@link #lines}) is skipped for {@code verdict}; {@code shown} describes it. */
    void skip(int verdict, String shown) {
        skippedLines++;
        malformed[verdict]++;
        sample(shown);
    }

    void sample(String shown) {
        if (samples.size() < SAMPLES) {
            samples.add(new TraceMetrics.SkippedLine(lines, shown));
        }
    }
}
