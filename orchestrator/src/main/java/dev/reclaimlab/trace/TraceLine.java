package dev.reclaimlab.trace;

import java.nio.charset.StandardCharsets;

/**
 * One parsed line, as offsets into the byte buffer it was read from. A single instance is reused for every line of
 * a chunk, so parsing allocates nothing; copy out what must outlive the line.
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

    /** M of a {@code CPU:N [LOST M EVENTS]} line. */
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
