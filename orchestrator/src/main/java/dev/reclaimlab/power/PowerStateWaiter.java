package dev.reclaimlab.power;

import dev.reclaimlab.units.Durations;
import java.io.IOException;
import java.time.Duration;

/**
 * Polls a system's {@code PowerState} until it has the wanted value. A BMC accepts a reset before the power has
 * changed, and BMCs reject {@code On} while the system is still powering off; so ForceOff-then-On waits for Off
 * between the two.
 */
final class PowerStateWaiter {
    private PowerStateWaiter() {}

    /** @throws IOException naming the last state seen when {@code wanted} is not reached within {@code timeout} */
    static void await(RedfishHttp http, String systemPath, String wanted, Duration timeout) throws IOException {
        Deadline deadline = new Deadline(timeout, http.timing().pollInterval());
        String state;
        while (true) {
            state = http.read(systemPath, "the system").path("PowerState").asText("(none)");
            if (state.equals(wanted)) {
                return;
            }
            if (deadline.passed()) {
                throw new IOException(http.fail("system " + systemPath + " PowerState was still " + state
                        + " after " + Durations.format(timeout) + " (waiting for " + wanted + ")"));
            }
            deadline.pause();
        }
    }
}
