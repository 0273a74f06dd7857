package dev.reclaimlab.history;

/**
 * A regression tracked from the night it was first seen to the night it was gone (KernelCI's tracker does the same):
 * {@code new} (seen once, being re-run) → {@code confirmed} (seen again: people are told) → {@code active} (still
 * there: nobody is told again) → {@code closed} (gone: one message). A new one the re-run did not show again is
 * {@code unconfirmed} and never told.
 *
 * @param lastGoodRun    the newest accepted run before it was seen: the baseline's latest night
 * @param figures        the change as people read it: {@code +12,088 (p=0.00016, 8 vs 4)}
 * @param bisect         what a bisect between the last good and the first bad kernel found, when one ran
 */
public record Regression(String id, String planName, String planHash, String host, String variant, String metric,
                         String state, String firstRun, String firstKernel, String lastGoodRun, String lastGoodKernel,
                         String lastRun, String closedRun, Double changePercent, Double pValue, String figures,
                         String bisect, String openedAt, String updatedAt, String closedAt) {
    public static final String NEW = "new";
    public static final String CONFIRMED = "confirmed";
    public static final String ACTIVE = "active";
    public static final String CLOSED = "closed";
    public static final String UNCONFIRMED = "unconfirmed";

    /** Still to be fixed: confirmed or active. */
    public boolean open() {
        return CONFIRMED.equals(state) || ACTIVE.equals(state);
    }

    public BaselineKey key() {
        return new BaselineKey(planHash, host, variant);
    }

    public Regression with(String newState, String run, String at) {
        boolean closing = CLOSED.equals(newState) || UNCONFIRMED.equals(newState);
        return new Regression(id, planName, planHash, host, variant, metric, newState, firstRun, firstKernel,
                lastGoodRun, lastGoodKernel, run, closing ? run : closedRun, changePercent, pValue, figures, bisect,
                openedAt, at, closing ? at : closedAt);
    }

    public Regression withBisect(String answer) {
        return new Regression(id, planName, planHash, host, variant, metric, state, firstRun, firstKernel, lastGoodRun,
                lastGoodKernel, lastRun, closedRun, changePercent, pValue, figures, answer, openedAt, updatedAt, closedAt);
    }
}
