package dev.reclaimlab.shell;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting. Every value that reaches a host's shell passes through here, so a plan value
 * such as {@code a'; rm -rf / #} stays one inert word whatever shell (dash, bash, busybox ash) reads it.
 */
public final class Sh {
    private Sh() {}

    /**
     * Quotes one word. Words made only of characters that are never special to sh are left bare so the
     * commands we print stay readable; anything else is wrapped in single quotes, inside which sh
     * interprets nothing. A single quote itself is written as {@code '\''}.
     */
    public static String quote(String word) {
        if (word.isEmpty()) {
            return "''";
        }
        if (isPlain(word)) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Quotes each word and joins them with spaces: a command line whose argv is exactly {@code words}. */
    public static String command(List<String> words) {
        return words.stream().map(Sh::quote).collect(Collectors.joining(" "));
    }

    /** Same as {@link #command(List)}. */
    public static String command(String... words) {
        return command(List.of(words));
    }

    private static boolean isPlain(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '/' || c == '.' || c == '_' || c == '-' || c == ':' || c == '+' || c == ',' || c == '@'
                    || c == '%';
            if (!plain) {
                return false;
            }
        }
        // A leading '-' is harmless to sh, but '~' or '=' at the front could expand or look like an assignment;
        // neither is in the plain set above.
        return true;
    }
}
