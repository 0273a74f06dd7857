package dev.reclaimlab.cli;

/** A problem the user can fix, with the exit code it earns; printed as one line. */
final class UserError extends RuntimeException {
    private final int exitCode;

    UserError(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
