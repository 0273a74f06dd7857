package dev.reclaimlab.trace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Byte-level searches and number parsing for the hot path (ASCII text, no allocation). */
public final class Bytes {
    /** What {@link #number} returns when there is no number at that place. */
    public static final long NO_NUMBER = Long.MIN_VALUE;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {}

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && same(prefix, b, from, from + prefix.length);
    }

    /**
     * A hash of {@code b[from, to)} taken eight bytes at a time (names are hashed for every line, and a byte-at-a-time
     * polynomial is one long chain of dependent multiplications).
     */
    public static int hash(byte[] b, int from, int to) {
        long h = to - from;
        int i = from;
        for (int limit = to - 7; i < limit; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
        }
        long tail = 0;
        for (int shift = 0; i < to; i++, shift += 8) {
            tail |= (b[i] & 0xffL) << shift;
        }
        h = (h ^ tail) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Whether {@code b[from, to)} holds exactly the bytes of {@code known}, compared eight at a time. */
    public static boolean same(byte[] known, byte[] b, int from, int to) {
        int n = known.length;
        if (n != to - from) {
            return false;
        }
        int i = 0;
        for (int limit = n - 7; i < limit; i += 8) {
            if ((long) LONGS.get(known, i) != (long) LONGS.get(b, from + i)) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (known[i] != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first {@code needle} in {@code b[from, to)}, or -1. */
    public static int indexOf(byte[] b, int from, int to, byte[] needle) {
        if (needle.length == 0) {
            return from <= to ? from : -1;
        }
        byte first = needle[0];
        int last = to - needle.length;
        outer:
        for (int i = from; i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Index of the last {@code needle} in {@code b[from, to)}, or -1. */
    public static int lastIndexOf(byte[] b, int from, int to, byte[] needle) {
        if (needle.length == 0) {
            return from <= to ? to : -1;
        }
        byte first = needle[0];
        outer:
        for (int i = to - needle.length; i >= from; i--) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (b[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The decimal number (optionally negative) that starts at {@code at}, read up to the first non-digit or
     * {@code to}; {@link #NO_NUMBER} when there are no digits or more than 18 of them.
     */
    public static long number(byte[] b, int at, int to) {
        boolean negative = at < to && b[at] == '-';
        int i = negative ? at + 1 : at;
        long value = 0;
        int start = i;
        while (i < to && b[i] >= '0' && b[i] <= '9') {
            if (i - start >= 18) {
                return NO_NUMBER;
            }
            value = value * 10 + (b[i++] - '0');
        }
        if (i == start) {
            return NO_NUMBER;
        }
        return negative ? -value : value;
    }

    /** End of the run of non-space bytes that starts at {@code at}. */
    public static int tokenEnd(byte[] b, int at, int to) {
        int i = at;
        while (i < to && b[i] != ' ') {
            i++;
        }
        return i;
    }

    /** Printable text of a line for reports: ISO-8859-1, control bytes shown as '?', cut at {@code max} chars. */
    public static String printable(byte[] b, int from, int to, int max) {
        int n = Math.min(to - from, max);
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            int c = b[from + i] & 0xff;
            out[i] = c < 0x20 || c == 0x7f ? '?' : (char) c;
        }
        return new String(out) + (to - from > max ? "…" : "");
    }
}
