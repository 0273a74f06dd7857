package dev.reclaimlab.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads one line of tracefs {@code trace} / {@code trace_pipe} text, byte by byte, without allocating:
 *
 * <pre>
 *   # tracer: nop                                                     HEADER
 *   ##### CPU 1 buffer started ####                                   BUFFER_STARTED
 *   CPU:3 [LOST 17 EVENTS]                                            LOST_EVENTS
 *   kworker/u8:2-noise-88 ( 88) [001] d..1. 12.000001: event: ...    EVENT
 *   bash-16737 [010] 426414.625682: event: ...                        EVENT (no irq-flags column)
 * </pre>
 *
 * The task name may hold spaces, dashes and brackets, so the pid is the last {@code -digits} before the first
 * {@code [digits]} column that is preceded by one; the {@code (tgid)} column ({@code record-tgid}) and the irq-flags
 * column (3 to 5 characters depending on the kernel) are both optional. A trailing {@code \r} (CRLF files) is
 * ignored. Anything that does not fit is {@link LineKind#MALFORMED}: a parser for evidence must never throw on
 * evidence it does not like.
 */
public final class TraceLineParser {
    /** The CPU column comes after a task name of at most 15 bytes, padding, the pid and perhaps a tgid column. */
    private static final int CPU_COLUMN_WITHIN = 96;
    /** Where {@code "%16s-%-7d [%03d]"} puts the '[' of the CPU column. */
    private static final int USUAL_CPU_COLUMN = 25;
    /** Bytes of an event name: [A-Za-z0-9_]. */
    private static final boolean[] NAME_BYTE = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            NAME_BYTE[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
        }
    }
    private static final int MAX_EVENT_NAME = 64;
    private static final int MAX_FLAGS = 8;
    private static final byte[] CPU_PREFIX = ascii("CPU:");
    private static final byte[] LOST = ascii(" [LOST ");
    private static final byte[] LOST_UNCOUNTED = ascii(" [LOST EVENTS]");
    private static final byte[] BUFFER_STARTED = ascii(" buffer started");
    /** Seconds beyond this overflow a long of nanoseconds (~292 years of uptime). */
    private static final long MAX_SECONDS = 9_000_000_000L;
    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000, 1_000_000_000};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private TraceLineParser() {}

    /** Parses {@code b[start, end)} (one line, without its {@code \n}) into {@code out}. */
    public static LineKind parse(byte[] b, int start, int end, TraceLine out) {
        out.buf = b;
        if (end > start && b[end - 1] == '\r') {
            end--;
        }
        if (canonical(b, start, end, out)) {
            return LineKind.EVENT;
        }
        return general(b, start, end, out);
    }

    /** The general path alone, without the fixed-column shortcut: tests hold the two to the same answers. */
    static LineKind parseGeneral(byte[] b, int start, int end, TraceLine out) {
        out.buf = b;
        if (end > start && b[end - 1] == '\r') {
            end--;
        }
        return general(b, start, end, out);
    }

    private static LineKind general(byte[] b, int start, int end, TraceLine out) {
        int p = start;
        while (p + 8 <= end) { // the task column is padded with up to 15 spaces: skip them eight at a time
            long notSpace = (long) LONGS.get(b, p) ^ 0x2020202020202020L;
            if (notSpace != 0) {
                p += Long.numberOfTrailingZeros(notSpace) >>> 3;
                break;
            }
            p += 8;
        }
        while (p < end && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        if (p == end) {
            return LineKind.BLANK;
        }
        if (b[p] == '#') {
            return end - p >= 5 && b[p + 4] == '#' && Bytes.indexOf(b, p, end, BUFFER_STARTED) >= 0
                    ? LineKind.BUFFER_STARTED : LineKind.HEADER;
        }
        if (b[p] == 'C' && Bytes.startsWith(b, p, end, CPU_PREFIX)) {
            return lost(b, p + CPU_PREFIX.length, end, out);
        }
        return event(b, start, p, end, out);
    }

    /**
     * The layout tracefs prints by default, {@code "%16s-%-7d [%03d] FLAGS %5lu.%06lu: event: "}, read at its fixed
     * columns: nearly every line of a real trace, for a third of the work of the general path. Accepts only what the
     * general path would read the same way; anything else (a record-tgid column, other padding, more fraction digits,
     * a cut line) returns false and is left to it.
     */
    private static boolean canonical(byte[] b, int s, int end, TraceLine out) {
        if (end - s < 52 || b[s] != ' ' || b[s + 16] != '-' || b[s + 24] != ' ' || b[s + 25] != '['
                || b[s + 29] != ']' || b[s + 30] != ' ') {
            return false;
        }
        int c0 = b[s + 26] - '0';
        int c1 = b[s + 27] - '0';
        int c2 = b[s + 28] - '0';
        if (c0 < 0 || c0 > 9 || c1 < 0 || c1 > 9 || c2 < 0 || c2 > 9) {
            return false;
        }
        int i = s + 17;
        int pid = 0;
        int d;
        while (i < s + 24 && (d = b[i] - '0') >= 0 && d <= 9) {
            pid = pid * 10 + d;
            i++;
        }
        if (i == s + 17) {
            return false;
        }
        for (; i < s + 24; i++) {
            if (b[i] != ' ') {
                return false;
            }
        }
        int comm = s; // the first non-space of the right-aligned task column, eight bytes at a time
        long notSpace = (long) LONGS.get(b, s) ^ 0x2020202020202020L;
        if (notSpace == 0) {
            notSpace = (long) LONGS.get(b, s + 8) ^ 0x2020202020202020L;
            comm += 8;
        }
        comm += notSpace == 0 ? 8 : Long.numberOfTrailingZeros(notSpace) >>> 3;
        int f = s + 31; // the irq-flags column: 4 or 5 characters, never a digit first
        if (b[f] >= '0' && b[f] <= '9') {
            return false;
        }
        while (f < end && b[f] != ' ') {
            f++;
        }
        if (f - (s + 31) > MAX_FLAGS) {
            return false;
        }
        while (f < end && b[f] == ' ') {
            f++;
        }
        int secondsStart = f;
        long seconds = 0;
        while (f < end && f - secondsStart < 10 && (d = b[f] - '0') >= 0 && d <= 9) {
            seconds = seconds * 10 + d;
            f++;
        }
        if (f == secondsStart || seconds > MAX_SECONDS || f + 9 > end || b[f] != '.' || b[f + 7] != ':'
                || b[f + 8] != ' ') {
            return false;
        }
        long micros = 0;
        for (int k = f + 1; k <= f + 6; k++) {
            if ((d = b[k] - '0') < 0 || d > 9) {
                return false;
            }
            micros = micros * 10 + d;
        }
        int nameStart = f + 9;
        int n = out.recentName(b, nameStart, end);
        int hash;
        if (n >= 0) {
            hash = out.recentHash;
        } else {
            n = nameStart;
            int nameLimit = Math.min(end, nameStart + MAX_EVENT_NAME + 1);
            while (n < nameLimit && NAME_BYTE[b[n] & 0xff]) {
                n++;
            }
            if (n == nameStart || n >= end || b[n] != ':' || n - nameStart > MAX_EVENT_NAME) {
                return false;
            }
            hash = Bytes.hash(b, nameStart, n);
            out.rememberName(b, nameStart, n, hash);
        }
        out.commStart = comm;
        out.commEnd = s + 16;
        out.pid = pid;
        out.cpu = c0 * 100 + c1 * 10 + c2;
        out.timestampNs = seconds * 1_000_000_000L + micros * 1000;
        out.eventStart = nameStart;
        out.eventEnd = n;
        out.eventHash = hash;
        int fields = n + 1;
        if (fields < end && b[fields] == ' ') {
            fields++;
        }
        out.fieldsStart = fields;
        out.fieldsEnd = end;
        return true;
    }

    /** {@code CPU:N [LOST M EVENTS]}; some kernels print {@code [LOST EVENTS]} when they cannot count. */
    private static LineKind lost(byte[] b, int p, int end, TraceLine out) {
        int q = p;
        while (q < end && isDigit(b[q])) {
            q++;
        }
        if (q == p || !Bytes.startsWith(b, q, end, LOST) && !Bytes.startsWith(b, q, end, LOST_UNCOUNTED)) {
            return LineKind.MALFORMED;
        }
        out.cpu = (int) Math.min(Integer.MAX_VALUE, Bytes.number(b, p, q));
        q += LOST.length;
        long count = 0;
        int digits = 0;
        while (q < end && isDigit(b[q]) && digits < 18) {
            count = count * 10 + (b[q++] - '0');
            digits++;
        }
        // more digits than a long holds for sure: a wrapped (negative, printed unsigned) count, not a number to add
        out.lostEvents = q < end && isDigit(b[q]) ? -1 : count;
        return LineKind.LOST_EVENTS;
    }

    private static LineKind event(byte[] b, int lineStart, int p, int end, TraceLine out) {
        int close = cpuColumn(b, lineStart, p, end, out);
        if (close < 0) {
            return LineKind.MALFORMED;
        }
        int t = skipSpaces(b, close + 1, end);
        int tokenEnd = timestamp(b, t, end, out);
        if (tokenEnd < 0) {
            // the irq-flags column ("d..1.", ".N..", "dNs."), absent on some kernels and with some options
            int flagsEnd = tokenEnd(b, t, end);
            if (flagsEnd == t || flagsEnd - t > MAX_FLAGS) {
                return LineKind.MALFORMED;
            }
            tokenEnd = timestamp(b, skipSpaces(b, flagsEnd, end), end, out);
            if (tokenEnd < 0) {
                return LineKind.MALFORMED;
            }
        }
        int n = skipSpaces(b, tokenEnd, end);
        if (n == tokenEnd) {
            return LineKind.MALFORMED; // "12.5:event" or a line cut right after the timestamp
        }
        int nameStart = n;
        while (n < end && isNameByte(b[n])) {
            n++;
        }
        if (n == nameStart || n >= end || b[n] != ':' || n - nameStart > MAX_EVENT_NAME) {
            return LineKind.MALFORMED; // other tracers (function: "do_idle <-cpu_startup_entry"), cut lines
        }
        out.eventStart = nameStart;
        out.eventEnd = n;
        out.eventHash = Bytes.hash(b, nameStart, n);
        int fields = n + 1;
        if (fields < end && b[fields] == ' ') {
            fields++;
        }
        out.fieldsStart = fields;
        out.fieldsEnd = end;
        return LineKind.EVENT;
    }

    /**
     * Finds {@code [cpu]} preceded by {@code comm-pid} (and perhaps {@code (tgid)}); fills comm, pid and cpu.
     * Returns the index of {@code ]}, or -1. Tracefs pads the task name to 16 columns and the pid to 7, so the
     * column is usually at a fixed offset from the start of the line: that place is tried first.
     */
    private static int cpuColumn(byte[] b, int lineStart, int p, int end, TraceLine out) {
        int usual = lineStart + USUAL_CPU_COLUMN;
        if (usual > p && usual < end && b[usual] == '[') {
            int close = cpuColumnAt(b, p, usual, end, out);
            if (close >= 0) {
                return close;
            }
        }
        int limit = Math.min(end, p + CPU_COLUMN_WITHIN);
        for (int open = p; open < limit; open++) {
            if (b[open] == '[') {
                int close = cpuColumnAt(b, p, open, end, out);
                if (close >= 0) {
                    return close;
                }
            }
        }
        return -1;
    }

    /** The CPU column if {@code b[open]} starts one that follows {@code comm-pid}; the index of its ']' or -1. */
    private static int cpuColumnAt(byte[] b, int p, int open, int end, TraceLine out) {
        int close = open + 1;
        int last = Math.min(end, open + 8);
        int cpu = 0;
        int d;
        while (close < last && (d = b[close] - '0') >= 0 && d <= 9) {
            cpu = cpu * 10 + d;
            close++;
        }
        if (close == open + 1 || close >= last || b[close] != ']') {
            return -1;
        }
        int r = open - 1;
        while (r >= p && b[r] == ' ') {
            r--;
        }
        if (r >= p && b[r] == ')') { // the tgid column: "( 1234)" or "(-------)"
            while (r >= p && b[r] != '(') {
                r--;
            }
            r--;
            while (r >= p && b[r] == ' ') {
                r--;
            }
        }
        // the pid, read backwards
        long pid = 0;
        long scale = 1;
        int first = r;
        while (r >= p && first - r < 10 && (d = b[r] - '0') >= 0 && d <= 9) {
            pid += d * scale;
            scale *= 10;
            r--;
        }
        if (r < p || r == first || b[r] != '-' || pid > Integer.MAX_VALUE) {
            return -1;
        }
        out.commStart = p;
        out.commEnd = r;
        out.pid = (int) pid;
        out.cpu = cpu;
        return close;
    }

    /**
     * {@code 1802.570900:} (seconds, any number of fraction digits; nanoseconds kept) or {@code 123456:} (counter
     * clocks) at {@code s}, followed by a space or the end of the line. Returns the index after the ':', or -1.
     */
    private static int timestamp(byte[] b, int s, int end, TraceLine out) {
        int i = s;
        int last = Math.min(end, s + 18);
        long seconds = 0;
        int d;
        while (i < last && (d = b[i] - '0') >= 0 && d <= 9) {
            seconds = seconds * 10 + d;
            i++;
        }
        if (i == s || i >= end) {
            return -1;
        }
        long ns;
        if (b[i] == ':') {
            ns = seconds;
        } else {
            if (b[i] != '.' || seconds > MAX_SECONDS) {
                return -1;
            }
            int fractionStart = ++i;
            long fraction = 0;
            while (i < end && (d = b[i] - '0') >= 0 && d <= 9) {
                if (i - fractionStart < 9) {
                    fraction = fraction * 10 + d;
                }
                i++;
            }
            int digits = i - fractionStart;
            if (digits == 0 || i >= end || b[i] != ':') {
                return -1;
            }
            ns = seconds * 1_000_000_000L + (digits >= 9 ? fraction : fraction * POWERS_OF_TEN[9 - digits]);
        }
        i++; // the ':'
        if (i < end && b[i] != ' ') {
            return -1;
        }
        out.timestampNs = ns;
        return i;
    }

    private static int skipSpaces(byte[] b, int i, int end) {
        while (i < end && b[i] == ' ') {
            i++;
        }
        return i;
    }

    private static int tokenEnd(byte[] b, int i, int end) {
        while (i < end && b[i] != ' ') {
            i++;
        }
        return i;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameByte(byte c) {
        return NAME_BYTE[c & 0xff];
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
