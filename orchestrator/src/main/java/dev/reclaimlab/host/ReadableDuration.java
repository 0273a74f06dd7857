package dev.reclaimlab.host;

import java.time.Duration;

/** Formats durations for messages a person reads ("1.5s", "2m3s"), not for parsing. */
final class ReadableDuration {
    private ReadableDuration() {}

    static String of(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 60_000) {
            return (ms % 1000 == 0) ? (ms / 1000) + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        return (s / 60) + "m" + (s % 60) + "s";
    }
}
