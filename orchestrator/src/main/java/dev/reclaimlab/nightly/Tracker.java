package dev.reclaimlab.nightly;

import dev.reclaimlab.history.Regression;
import java.util.Optional;

/**
 * The regression tracker's rules, free of I/O: from the regression a metric has open (if any) and what this night says
 * about it, the next state and whether anyone is told.
 */
public final class Tracker {
    private Tracker() {}

    /**
     * @param state  the regression's state after this night; null when there is none to track
     * @param tell   {@code regression} or {@code fixed} when people are told; null when nothing changed that they need
     * @param rerun  a new regression that must be seen again, in a re-run now, before anyone is told
     */
    public record Step(String state, String tell, boolean rerun) {
        static final Step NOTHING = new Step(null, null, false);
    }

    /** The night's first look at a metric. */
    public static Step night(Optional<Regression> open, Outcome today) {
        if (open.isEmpty()) {
            return today == Outcome.REGRESSED ? new Step(Regression.NEW, null, true) : Step.NOTHING;
        }
        String state = open.get().state();
        if (Regression.NEW.equals(state)) {
            // left new by a job that stopped before its re-run: tonight is the re-run
            return confirmation(today);
        }
        return switch (today) {
            case REGRESSED -> new Step(Regression.ACTIVE, null, false);
            case GOOD -> new Step(Regression.CLOSED, "fixed", false);
            case UNKNOWN -> new Step(state, null, false);
        };
    }

    /** What the re-run of a new regression says: seen again, it is confirmed and told; else it was a fluke. */
    public static Step confirmation(Outcome rerun) {
        return rerun == Outcome.REGRESSED ? new Step(Regression.CONFIRMED, "regression", false)
                : new Step(Regression.UNCONFIRMED, null, false);
    }
}
