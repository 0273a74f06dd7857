package dev.reclaimlab.analysis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Lost-events records, per CPU: how many events, how many records (and how many did not say how many), and when. A
 * trace that lost events is never silently complete: every record is kept here, and a begin/end span that a loss on
 * its CPU fell inside is not a latency sample ({@link #since}): the lost events may have held its real end, or a
 * second begin.
 *
 * <p>Records are numbered in trace order; each CPU remembers the number of its latest one, so "a loss on CPU c since
 * the span began" is one comparison and memory grows with the number of CPUs, not of losses.
 */
final class LossLog {
    /** Records so far (the number of the latest one). */
    private long seq;
    private long[] lastSeq = new long[0];
    private long[][] perCpu = new long[0][];
    /** Time stamp of the latest event understood: the text path's "when" for a {@code [LOST]} line. */
    long lastEventTs = PassCounts.NO_TS;

    /** Per CPU: events, records, unknown records, first ts, last ts. */
    private static final int EVENTS = 0;
    private static final int RECORDS = 1;
    private static final int UNKNOWN = 2;
    private static final int FIRST = 3;
    private static final int LAST = 4;

    /** A lost-events record on {@code cpu} (below {@link Plausible#MAX_CPUS}): {@code count} events, or -1 unknown. */
    void record(int cpu, long count, long ts) {
        if (cpu >= lastSeq.length) {
            int n = Math.max(8, Integer.highestOneBit(cpu) << 1);
            lastSeq = Arrays.copyOf(lastSeq, n);
            perCpu = Arrays.copyOf(perCpu, n);
        }
        lastSeq[cpu] = ++seq;
        long[] c = perCpu[cpu];
        if (c == null) {
            c = new long[] {0, 0, 0, ts, ts};
            perCpu[cpu] = c;
        }
        if (count < 0) {
            c[UNKNOWN]++;
        } else {
            c[EVENTS] = Saturating.add(c[EVENTS], count);
        }
        c[RECORDS]++;
        if (c[FIRST] == PassCounts.NO_TS) {
            c[FIRST] = ts;
        }
        if (ts != PassCounts.NO_TS) {
            c[LAST] = ts;
        }
    }

    /** The number to note when a span begins. */
    long now() {
        return seq;
    }

    /** Whether a loss on {@code cpuA} or {@code cpuB} came after {@code begun} ({@link #now} when the span began). */
    boolean since(long begun, int cpuA, int cpuB) {
        return cpuA < lastSeq.length && lastSeq[cpuA] > begun || cpuB < lastSeq.length && lastSeq[cpuB] > begun;
    }

    /** Null without a record; otherwise the totals and each CPU's (times in seconds of the trace clock). */
    TraceMetrics.Lost metrics() {
        if (seq == 0) {
            return new TraceMetrics.Lost(0, 0, 0, Map.of(), null, null);
        }
        Map<String, TraceMetrics.LostOnCpu> byCpu = new LinkedHashMap<>();
        long events = 0;
        long unknown = 0;
        long first = PassCounts.NO_TS;
        long last = PassCounts.NO_TS;
        for (int cpu = 0; cpu < perCpu.length; cpu++) {
            long[] c = perCpu[cpu];
            if (c == null) {
                continue;
            }
            events = Saturating.add(events, c[EVENTS]);
            unknown += c[UNKNOWN];
            if (c[FIRST] != PassCounts.NO_TS && (first == PassCounts.NO_TS || c[FIRST] < first)) {
                first = c[FIRST];
            }
            if (c[LAST] != PassCounts.NO_TS && (last == PassCounts.NO_TS || c[LAST] > last)) {
                last = c[LAST];
            }
            byCpu.put(Integer.toString(cpu), new TraceMetrics.LostOnCpu(c[EVENTS], c[RECORDS], c[UNKNOWN],
                    TraceTally.seconds(c[FIRST]), TraceTally.seconds(c[LAST])));
        }
        return new TraceMetrics.Lost(events, seq, unknown, byCpu, TraceTally.seconds(first), TraceTally.seconds(last));
    }
}
