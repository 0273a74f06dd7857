package dev.reclaimlab.boot;

import java.util.ArrayList;
import java.util.List;

/**
 * The words of a kernel command line as the kernel splits them: at spaces, except inside double quotes, which may
 * wrap a value ({@code dyndbg="file foo.c +p"}) or a whole word.
 */
public final class KernelCmdline {
    private KernelCmdline() {
    }

    public static List<String> words(String cmdline) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < cmdline.length(); i++) {
            char c = cmdline.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                word.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (!word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    /**
     * Whether {@code word} on a command line is what {@code pattern} names: the same word, or, for a pattern without
     * {@code =}, any value of that key.
     */
    public static boolean matches(String pattern, String word) {
        if (pattern.equals(word)) {
            return true;
        }
        return pattern.indexOf('=') < 0 && word.startsWith(pattern + "=");
    }

    /** An added word that a removed pattern names: a boot cannot both hold and lack it. */
    public record Conflict(String word, String pattern) {}

    /** Every added word that a removed one names; empty when the two agree. */
    public static List<Conflict> conflicts(List<String> add, List<String> remove) {
        List<Conflict> out = new ArrayList<>();
        for (String word : add) {
            for (String pattern : remove) {
                if (matches(pattern, word)) {
                    out.add(new Conflict(word, pattern));
                }
            }
        }
        return out;
    }

    /** {@code cmdline} without the words {@code remove} names, with {@code add} appended: what a boot should show. */
    public static String edited(String cmdline, List<String> add, List<String> remove) {
        List<String> words = new ArrayList<>();
        for (String word : words(cmdline)) {
            if (remove.stream().noneMatch(r -> matches(r, word)) && !add.contains(word)) {
                words.add(word);
            }
        }
        words.addAll(add);
        return String.join(" ", words);
    }
}
