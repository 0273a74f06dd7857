package dev.reclaimlab.trace;

/** What one line of tracefs {@code trace} text is. */
public enum LineKind {
    /** {@code TASK-PID [CPU] FLAGS TIMESTAMP: event: fields}. */
    EVENT,
    /** A {@code #} comment of the header block ({@code # tracer: nop}, the column legend, ...). */
    HEADER,
    /** {@code ##### CPU N buffer started ####}: from here on that CPU's events are complete. */
    BUFFER_STARTED,
    /** {@code CPU:N [LOST M EVENTS]}: the ring buffer overwrote M events before they were read. */
    LOST_EVENTS,
    /** Nothing but white space. */
    BLANK,
    /** Anything else: a cut line, garbage, another tracer's output. Counted and reported, never fatal. */
    MALFORMED
}
