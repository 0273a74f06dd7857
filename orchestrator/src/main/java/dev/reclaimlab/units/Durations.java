package dev.reclaimlab.units;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as plans write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
public final class Durations {
    /** For error messages: {@code expected a duration like ...}. */
    public static final String EXPECTED = "a duration like 30s, 2m or 500ms";

    private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

    private Durations() {}

    /** @throws IllegalArgumentException {@code expected a duration like 30s, 2m or 500ms, got "30"} */
    public static Duration parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(
                "expected " + EXPECTED + ", got \"" + text + "\""));
    }

    public static Optional<Duration> tryParse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        });
    }

    /** The shortest exact spelling in the same notation: {@code 90s}, {@code 2m}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s != 0 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
