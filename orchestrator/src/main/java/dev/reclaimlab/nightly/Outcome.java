package dev.reclaimlab.nightly;

/** What a night's metric is against its baseline. */
public enum Outcome {
    /** Within the plan's limit, or beyond it in the good direction. */
    GOOD,
    /** Beyond the plan's limit in the bad direction, and significant. */
    REGRESSED,
    /** Cannot be said: too few samples, a trace that lost events, a change beyond the limit that is not significant. */
    UNKNOWN;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
