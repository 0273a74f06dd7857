package dev.reclaimlab.yaml;

/**
 * Thrown by a {@link Value} that cannot make sense of a node; {@link Binder} turns it into a {@link Problem} at the
 * node, prefixed with the key: {@code swappiness: expected an integer 0..200, got "abc"}.
 */
public final class Invalid extends RuntimeException {
    private final boolean showGot;

    private Invalid(String message, boolean showGot) {
        super(message, null, false, false);
        this.showGot = showGot;
    }

    /** {@code expected <what>, got <the node>}. */
    public static Invalid expected(String what) {
        return new Invalid("expected " + what, true);
    }

    /** Exactly this message, e.g. {@code must be at least 4K, got 1K}. */
    public static Invalid because(String message) {
        return new Invalid(message, false);
    }

    /** The message for a value that was {@code node}. */
    public String about(Node node) {
        return showGot ? getMessage() + ", got " + node.describe() : getMessage();
    }
}
