package dev.reclaimlab.bisect;

/** What a candidate's samples say, against both endpoints. */
public enum Verdict {
    /** Like the good endpoint, and unlike the bad one. */
    GOOD,
    /** Like the bad endpoint, and unlike the good one (or its kernel went down under the workload, where the plan says so). */
    BAD,
    /** Neither yet: more repeats may tell. */
    UNKNOWN,
    /** Still unknown after the most repeats allowed: the bisect goes on around it. */
    SKIPPED,
    /** It could not be installed or booted, or came up wrong: nothing was measured. */
    UNTESTABLE,
    /** Not measured. */
    UNMEASURED;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The bisect could not use it to split a range. */
    public boolean skipped() {
        return this == SKIPPED || this == UNTESTABLE;
    }
}
