package dev.reclaimlab.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One parsed line, as offsets into the byte buffer it was read from. A single instance is reused for every line of
 * a chunk, so parsing allocates nothing (but a copy of each event name it has not seen lately); copy out what must
 * outlive the line.
 */
public final class TraceLine {
    byte[] buf;
    int commStart;
    int commEnd;
    int pid;
    int cpu;
    long timestampNs;
    int eventStart;
    int eventEnd;
    int eventHash;
    int fieldsStart;
    int fieldsEnd;
    long lostEvents;

    /**
     * The last few event names read (a trace cycles through a handful): a line that starts with one of them and ':'
     * is recognised by comparing eight bytes at a time instead of checking and hashing every byte.
     */
    private final byte[][] recentNames = new byte[6][];
    private final int[] recentHashes = new int[6];
    private int recentNext;
    int recentHash;

    /** The end of the event name at {@code b[start]} if it is one of the recent names (then {@link #recentHash}), else -1. */
    int recentName(byte[] b, int start, int end) {
        for (int k = 0; k < recentNames.length; k++) {
            byte[] name = recentNames[k];
            if (name == null) {
                return -1;
            }
            int e = start + name.length;
            if (e < end && b[e] == ':' && Bytes.same(name, b, start, e)) {
                recentHash = recentHashes[k];
                return e;
            }
        }
        return -1;
    }

    void rememberName(byte[] b, int start, int end, int hash) {
        recentNames[recentNext] = Arrays.copyOfRange(b, start, end);
        recentHashes[recentNext] = hash;
        recentNext = (recentNext + 1) % recentNames.length;
    }

    public byte[] buf() {
        return buf;
    }

    public int commStart() {
        return commStart;
    }

    public int commEnd() {
        return commEnd;
    }

    public int pid() {
        return pid;
    }

    public int cpu() {
        return cpu;
    }

    /** The timestamp column in nanoseconds: seconds with a fraction are scaled; a bare integer (counter clocks) is kept. */
    public long timestampNs() {
        return timestampNs;
    }

    public int eventStart() {
        return eventStart;
    }

    public int eventEnd() {
        return eventEnd;
    }

    /** {@link Bytes#hash} of the event name: lets a name table skip hashing it again. */
    public int eventHash() {
        return eventHash;
    }

    /** Where the event's own text starts (after {@code "event: "}). */
    public int fieldsStart() {
        return fieldsStart;
    }

    /** End of the line, without {@code \r}. */
    public int fieldsEnd() {
        return fieldsEnd;
    }

    /** M of a {@code CPU:N [LOST M EVENTS]} line (0 for {@code [LOST EVENTS]}); -1 when M has more than 18 digits. */
    public long lostEvents() {
        return lostEvents;
    }

    public String comm() {
        return new String(buf, commStart, commEnd - commStart, StandardCharsets.ISO_8859_1);
    }

    public String event() {
        return new String(buf, eventStart, eventEnd - eventStart, StandardCharsets.ISO_8859_1);
    }

    public String fields() {
        return new String(buf, fieldsStart, fieldsEnd - fieldsStart, StandardCharsets.ISO_8859_1);
    }
}
