package dev.reclaimlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Names sides by what differs between them, as a reader asks "which one is this?": the kernel release, the command
 * line's words, the host, the variant's values; only the parts that differ, in that order ({@code 6.1.0-57-arm64}
 * against {@code 6.12.117-arm64}, not two run ids with the kernel in brackets). Sides alike in all of those are told
 * apart by their runs. Each side keeps its whole description (runs, host, kernel, command line, variant) for hovers
 * and the appendix.
 */
public final class SideNames {
    /** Command-line words that name the kernel image or disk, and so differ with the kernel or the machine itself. */
    private static final List<String> INCIDENTAL = List.of("BOOT_IMAGE=", "initrd=", "root=");

    private SideNames() {}

    /** {@code sides} with their names; the order and everything else are kept. */
    public static List<Side> name(List<Side> sides) {
        List<Map<String, String>> parts = new ArrayList<>();
        for (Side side : sides) {
            parts.add(new LinkedHashMap<>());
        }
        if (sides.size() > 1) {
            distinct(sides, parts, "kernel", Side::kernel);
            cmdline(sides, parts);
            distinct(sides, parts, "host", SideNames::hosts);
            Set<String> keys = new LinkedHashSet<>();
            sides.forEach(s -> keys.addAll(variant(s).keySet()));
            for (String key : keys) {
                distinct(sides, parts, "variant " + key, s -> {
                    String value = variant(s).get(key);
                    return value == null ? "" : key + "=" + value;
                });
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            String name = String.join(", ", parts.get(i).values()).strip();
            names.add(name.isEmpty() ? fallback(sides.get(i)) : name);
        }
        List<String> plain = List.copyOf(names);
        for (int i = 0; i < sides.size(); i++) {
            String name = plain.get(i);
            if (plain.indexOf(name) != plain.lastIndexOf(name)) {
                names.set(i, name + " (" + String.join(", ", runs(sides.get(i))) + ")"); // alike but for their runs
            }
        }
        List<Side> named = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            named.add(sides.get(i).named(names.get(i), describe(sides.get(i))));
        }
        return named;
    }

    /** Everything that identifies a side, for its hover and the appendix. */
    static String describe(Side side) {
        List<String> parts = new ArrayList<>();
        parts.add((runs(side).size() == 1 ? "run " : "runs ") + String.join(", ", runs(side)));
        parts.add("host " + hosts(side));
        parts.add("kernel " + side.kernel());
        if (!side.cmdline().isBlank()) {
            parts.add("cmdline " + side.cmdline().strip());
        }
        if (!variant(side).isEmpty()) {
            parts.add("variant " + side.samples().get(0).variantLabel());
        }
        return String.join("; ", parts);
    }

    private static void distinct(List<Side> sides, List<Map<String, String>> parts, String key,
                                 java.util.function.Function<Side, String> value) {
        List<String> values = sides.stream().map(value).toList();
        if (new LinkedHashSet<>(values).size() > 1) {
            for (int i = 0; i < sides.size(); i++) {
                if (!values.get(i).isEmpty()) {
                    parts.get(i).put(key, values.get(i));
                }
            }
        }
    }

    /** The words some sides' command lines have and others lack: "+word" where it is, "no word" where not. */
    private static void cmdline(List<Side> sides, List<Map<String, String>> parts) {
        List<Set<String>> words = sides.stream().map(SideNames::words).toList();
        Set<String> common = new LinkedHashSet<>(words.get(0));
        Set<String> any = new LinkedHashSet<>();
        words.forEach(common::retainAll);
        words.forEach(any::addAll);
        any.removeAll(common);
        if (any.isEmpty()) {
            return;
        }
        for (int i = 0; i < sides.size(); i++) {
            List<String> own = new ArrayList<>();
            for (String word : any) {
                if (words.get(i).contains(word)) {
                    own.add("+" + word);
                }
            }
            if (own.isEmpty()) {
                own.add("no " + String.join(" ", any));
            }
            parts.get(i).put("cmdline", String.join(" ", own));
        }
    }

    private static Set<String> words(Side side) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : side.cmdline().strip().split("\\s+")) {
            if (word.equals("--")) {
                break;
            }
            if (!word.isEmpty() && INCIDENTAL.stream().noneMatch(word::startsWith)) {
                words.add(word);
            }
        }
        return words;
    }

    private static String hosts(Side side) {
        return String.join("+", side.samples().stream().map(Sample::host).distinct().toList());
    }

    private static Map<String, String> variant(Side side) {
        return side.samples().isEmpty() ? Map.of() : side.samples().get(0).variant();
    }

    private static List<String> runs(Side side) {
        return side.samples().stream().map(Sample::runId).distinct().toList();
    }

    /** A side alone: its variant, else its kernel. */
    private static String fallback(Side side) {
        if (!variant(side).isEmpty()) {
            return side.samples().get(0).variantLabel();
        }
        return side.kernel();
    }
}
