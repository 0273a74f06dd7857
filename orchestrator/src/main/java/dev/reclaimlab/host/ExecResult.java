package dev.reclaimlab.host;

import java.time.Duration;

/**
 * What one command did on a host.
 *
 * <p>{@code stdout} and {@code stderr} are decoded as UTF-8 (invalid bytes become U+FFFD) and may be shortened: each
 * keeps its first and last 512 KiB, with a marker in between saying how much was
 * dropped, so one chatty command cannot fill the orchestrator's memory. When the command's stdout was streamed
 * somewhere else ({@link Transport#execToStream}) {@code stdout} is empty.
 *
 * @param exitCode the command's exit status; {@code 128 + n} when it was killed by signal {@code n} (as sh reports it);
 *                 {@code -1} when it timed out
 * @param duration wall-clock time from start until the command ended or was given up on
 * @param timedOut true when the command ran past its timeout and was killed
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration duration, boolean timedOut) {

    /** Exit code reported for a command that was killed because it ran too long. */
    public static final int TIMED_OUT = -1;

    /** True when the command finished in time with exit status 0. */
    public boolean ok() {
        return !timedOut && exitCode == 0;
    }

    /** A short human-readable outcome, e.g. {@code "exit 2"}, {@code "timed out after 30s"}. */
    public String outcome() {
        if (timedOut) {
            return "timed out after " + ReadableDuration.of(duration);
        }
        return "exit " + exitCode;
    }
}
