package dev.reclaimlab.run;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test's handle on step boundaries. With {@code LAB_PAUSE_AFTER_STEP=N} in its environment, lab stops right after
 * the Nth step it logged, says so on stderr and waits there to be killed; heartbeats go on until it is. The
 * fault-injection test SIGKILLs lab at each boundary of a plan in turn, so every boundary is a kill point and none
 * is left to timing. Without the variable this does nothing.
 */
final class StepPause {
    static final String VARIABLE = "LAB_PAUSE_AFTER_STEP";
    private static final int PAUSE_AFTER = parse(System.getenv(VARIABLE));
    private static final AtomicInteger LOGGED = new AtomicInteger();

    private StepPause() {}

    /** Called once for every step written to the step log. */
    static void stepLogged(String host, String iteration, String step) {
        if (PAUSE_AFTER <= 0 || LOGGED.incrementAndGet() != PAUSE_AFTER) {
            return;
        }
        System.err.printf("lab: paused after step %d (%s %s %s) for %s%n", PAUSE_AFTER, host, iteration, step,
                VARIABLE);
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // still paused: only a kill ends this
            }
        }
    }

    private static int parse(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
