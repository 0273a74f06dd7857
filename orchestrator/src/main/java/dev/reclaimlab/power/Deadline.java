package dev.reclaimlab.power;

import java.io.InterruptedIOException;
import java.time.Duration;

/** A bounded wait polled at an interval: shared by task and PowerState polling. */
final class Deadline {
    private final long endNanos;
    private final Duration interval;

    Deadline(Duration timeout, Duration interval) {
        this.endNanos = System.nanoTime() + timeout.toNanos();
        this.interval = interval;
    }

    boolean passed() {
        return System.nanoTime() - endNanos >= 0;
    }

    /** Sleeps one interval (less when the deadline is nearer). */
    void pause() throws InterruptedIOException {
        long left = endNanos - System.nanoTime();
        long nanos = Math.max(0, Math.min(interval.toNanos(), left));
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the BMC");
        }
    }
}
