package dev.reclaimlab.artifacts;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a host was left as lab found it; the word is what manifest.json says. */
public enum TeardownStatus {
    /** Every journal entry was undone and the journal removed. */
    COMPLETE("complete"),
    /** Something could not be undone, or the host was lost: run {@code lab cleanup --host H}. */
    INCOMPLETE("incomplete"),
    /** Nothing was changed on the host. */
    NOT_NEEDED("not-needed"),
    /** Ctrl-C: the interrupt handler tore the host down. */
    INTERRUPTED("interrupted");

    private final String word;

    TeardownStatus(String word) {
        this.word = word;
    }

    @JsonValue
    public String word() {
        return word;
    }

    /** Two teardowns of one host (one per boot) as one: the more serious of the two. */
    public TeardownStatus and(TeardownStatus next) {
        return rank(next) > rank(this) ? next : this;
    }

    private static int rank(TeardownStatus s) {
        return switch (s) {
            case NOT_NEEDED -> 0;
            case COMPLETE -> 1;
            case INTERRUPTED -> 2;
            case INCOMPLETE -> 3;
        };
    }

    @Override
    public String toString() {
        return word;
    }
}
