package dev.reclaimlab.boot;

/**
 * A boot that did not happen as asked: the host never came back, came back on something else, or the target cannot
 * be booted there at all. Never a measurement: the kernel is untestable on that host.
 */
public final class BootException extends Exception {
    /** Whether trying again can help. */
    public enum Kind {
        /** The target cannot be booted here (unknown kernel, a word the method cannot pass): no retry. */
        REFUSED,
        /** The host did not come back, or came back wrong: worth one more try, then the kernel is untestable. */
        FAILED
    }

    private final Kind kind;

    public BootException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BootException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
