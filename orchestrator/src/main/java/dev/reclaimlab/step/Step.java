package dev.reclaimlab.step;

import java.time.Duration;
import java.util.Optional;

/**
 * One shell command to run on a host, in order. A setup step carries its undo: the runner records the undo in the
 * host's journal before the command runs, so a crash at any moment leaves enough behind for {@code lab cleanup}.
 *
 * @param id          short, stable name, e.g. {@code cgroup:kubepods}; journal entries are named after it
 * @param description what the step does, for people
 * @param command     POSIX sh, every user value already quoted; runs with the lab's helper library sourced
 * @param undo        sh that reverses the command, idempotent and safe to run after a partial failure
 * @param stdin       bytes to feed the command (e.g. a file being installed), if any
 * @param timeout     how long the step may take before it is stopped and counted as failed
 * @param longRunning the CLI shows live progress for it
 */
public record Step(String id, String description, String command, Optional<String> undo, Optional<String> stdin,
                   Duration timeout, boolean longRunning) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    public static Step action(String id, String description, String command) {
        return new Step(id, description, command, Optional.empty(), Optional.empty(), DEFAULT_TIMEOUT, false);
    }

    public static Step undoable(String id, String description, String command, String undo) {
        return new Step(id, description, command, Optional.of(undo), Optional.empty(), DEFAULT_TIMEOUT, false);
    }

    public Step withTimeout(Duration newTimeout) {
        return new Step(id, description, command, undo, stdin, newTimeout, longRunning);
    }

    public Step withStdin(String input) {
        return new Step(id, description, command, undo, Optional.of(input), timeout, longRunning);
    }

    public Step asLongRunning() {
        return new Step(id, description, command, undo, stdin, timeout, true);
    }
}
