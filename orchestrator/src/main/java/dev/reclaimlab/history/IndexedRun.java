package dev.reclaimlab.history;

/**
 * A run as the results database holds it.
 *
 * @param planHash  SHA-256 of the plan file as the run copied it: runs of one plan file share it, so a changed plan
 *                  starts a new baseline
 * @param origin    who made it: {@code run}, {@code nightly}, {@code bisect} or {@code import}
 * @param baseline  {@code accepted}, {@code rejected}, or null while nobody decided
 */
public record IndexedRun(String runId, String planName, String planHash, String status, String startedAt,
                         String dir, String report, String origin, String baseline, int iterations) {
    public static final String ACCEPTED = "accepted";
    public static final String REJECTED = "rejected";
}
