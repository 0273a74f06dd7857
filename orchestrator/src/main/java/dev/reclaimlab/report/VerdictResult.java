package dev.reclaimlab.report;

/**
 * One criterion of a plan's verdict judged on one side.
 *
 * @param kind      {@code storm} or {@code regression}
 * @param holds     storm: the condition holds (storm reproduced as far as this condition goes); regression: the
 *                  side regressed on this limit
 * @param judgeable false when the metric is missing or significance cannot be judged (one repeat)
 * @param figures   the numbers behind the answer, for people
 */
public record VerdictResult(String kind, String criterion, String side, boolean holds, boolean judgeable,
                            String figures) {

    /** What CI counts as a failure: a regression, or a storm condition that does not hold. */
    public boolean failed() {
        return kind.equals("regression") ? holds || !judgeable : !holds;
    }
}
