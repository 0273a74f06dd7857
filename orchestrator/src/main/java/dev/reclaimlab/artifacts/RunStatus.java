package dev.reclaimlab.artifacts;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;

/** How a run, or one host of it, ended; the word is what manifest.json says. */
public enum RunStatus {
    /** Still going (the manifest is rewritten as the run goes on). */
    RUNNING("running"),
    OK("ok"),
    /** A host lacked what the plan needs; nothing was changed on it. */
    UNMET("unmet"),
    /** A step or a workload failed, or the host could not be reached. */
    FAILED("failed"),
    /** Teardown left something behind: run {@code lab cleanup}. */
    RESIDUE("residue"),
    /** Ctrl-C; every host was torn down first. */
    INTERRUPTED("interrupted");

    private final String word;

    RunStatus(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    /**
     * A run's status from its hosts': the most serious one wins (interrupted, then residue, failed, unmet); ok when
     * every host is ok or there are none.
     */
    public static RunStatus overall(Collection<RunStatus> hosts) {
        for (RunStatus serious : new RunStatus[] {INTERRUPTED, RESIDUE, FAILED, UNMET, RUNNING}) {
            if (hosts.contains(serious)) {
                return serious;
            }
        }
        return OK;
    }

    @Override
    public String toString() {
        return word;
    }
}
