package dev.reclaimlab.vm;

/**
 * A problem with a VM that the user can act on, already worded for them: what is missing and the command that gets
 * it, or why the VM did not come up with the end of its console log.
 */
public final class VmException extends Exception {
    /** What kind of problem, so the command line can pick its exit code. */
    public enum Kind {
        /** Bad options or names. */
        BAD_INPUT,
        /** This machine lacks a tool, the arm64 architecture in apt, or a package the archive no longer has. */
        MISSING,
        /** Something went wrong while preparing, booting or stopping. */
        FAILED
    }

    private final Kind kind;

    public VmException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public VmException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
