package dev.reclaimlab.artifacts;

import com.fasterxml.jackson.annotation.JsonValue;

/** How one iteration (a variant's repeat on a host) ended; the word is what manifest.json says. */
public enum IterationStatus {
    OK("ok"),
    /** A workload exited non-zero (OOM-killed, its own timeout): a result, collected like any other. */
    WORKLOAD_FAILED("workload-failed"),
    /** A step failed, results were missing, or teardown of the iteration failed. */
    FAILED("failed"),
    INTERRUPTED("interrupted"),
    /** The kernel or command line it needs could not be booted, or came up wrong: nothing was measured. */
    UNTESTABLE("untestable"),
    /**
     * The host's kernel went down during the iteration: a panic on its console, or the host came back with a new boot
     * id. A result (the storm's symptom), not a broken run; its figures are not collected.
     */
    CRASHED("crashed"),
    /** The host stopped answering during the iteration, with no panic on its console: a result, like a crash. */
    HUNG("hung");

    private final String word;

    IterationStatus(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    /** The iteration's results can be compared (a failed workload is an experimental outcome, not a broken run). */
    public boolean collected() {
        return this == OK || this == WORKLOAD_FAILED;
    }

    /** The kernel went down under the iteration: what happened is the iteration's result. */
    public boolean hostWentDown() {
        return this == CRASHED || this == HUNG;
    }

    @Override
    public String toString() {
        return word;
    }
}
