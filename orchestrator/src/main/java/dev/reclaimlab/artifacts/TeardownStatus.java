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

    @Override
    public String toString() {
        return word;
    }
}
