package dev.reclaimlab.run;

/** How one iteration ended. */
public enum IterationOutcome {
    OK("ok"), WORKLOAD_FAILED("workload-failed"), FAILED("failed"), INTERRUPTED("interrupted");

    private final String word;

    IterationOutcome(String word) {
        this.word = word;
    }

    /** The word used in manifest.json. */
    public String word() {
        return word;
    }
}
