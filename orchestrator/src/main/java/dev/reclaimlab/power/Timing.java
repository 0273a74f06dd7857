package dev.reclaimlab.power;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait for the BMC. Every wait is bounded: a BMC that hangs must turn into an error the reboot ladder
 * can act on, not a stuck run.
 *
 * @param connect           opening a TCP (and TLS) connection
 * @param request           one HTTP exchange; BMCs are slow, but not this slow
 * @param task              a reset answered with 202 until its task ends
 * @param powerState        a {@code PowerState} reaching the wanted value
 * @param pollInterval      between two looks at a task or a {@code PowerState} (tests make it short)
 */
public record Timing(Duration connect, Duration request, Duration task, Duration powerState, Duration pollInterval) {
    /** Generous for real BMCs, which can take tens of seconds per request while they are busy resetting. */
    public static final Timing DEFAULTS = new Timing(Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(2));

    public Timing {
        positive(connect, "connect");
        positive(request, "request");
        positive(task, "task");
        positive(powerState, "powerState");
        positive(pollInterval, "pollInterval");
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " timeout must be positive, got " + d);
        }
    }
}
