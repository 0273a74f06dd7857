package dev.reclaimlab.host;

/**
 * Receives a command's output line by line while it runs, so the CLI can show progress of long steps.
 *
 * <p>Lines arrive without their terminating newline (and without a trailing {@code \r}); a last line without newline is
 * delivered when the stream ends; a line longer than 64 KiB is delivered in pieces. Calls
 * for one command never overlap, but they come from the transport's I/O threads, not the caller's thread. A listener
 * that throws is not called again for that command; the command keeps running and its output is still captured.
 */
@FunctionalInterface
public interface OutputListener {

    /** Which of the command's output streams a line came from. */
    enum Stream { STDOUT, STDERR }

    /** Ignores everything. */
    OutputListener NONE = (stream, line) -> {};

    void line(Stream stream, String line);
}
