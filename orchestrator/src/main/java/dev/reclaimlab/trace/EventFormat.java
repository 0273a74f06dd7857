package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code events/<system>/<event>/format} file as {@code lab run} saves it beside the trace.
 *
 * @param name   the event, e.g. {@code mm_vmscan_memcg_reclaim_end}
 * @param fields the event's own fields (the {@code common_*} ones left out), in declaration order
 * @param labels field → the text printed before its value, from {@code print fmt:} (see {@link PrintFormat})
 */
public record EventFormat(String name, List<String> fields, Map<String, String> labels) {
    public EventFormat {
        fields = List.copyOf(fields);
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }


    /** Reads the text of a format file; null when it has no {@code name:} line. */
    public static EventFormat parse(String text) {
        String name = null;
        List<String> fields = new ArrayList<>();
        Map<String, String> labels = Map.of();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("name:")) {
                name = l.substring(5).strip();
            } else if (l.startsWith("field:")) {
                int semi = l.indexOf(';');
                String field = fieldName(semi > 0 ? l.substring(6, semi) : l.substring(6));
                if (!field.isEmpty() && !field.startsWith("common_")) {
                    fields.add(field);
                }
            } else if (l.startsWith("print fmt:")) {
                labels = PrintFormat.labels(l.substring("print fmt:".length()));
            }
        }
        return name == null || name.isEmpty() ? null : new EventFormat(name, List.copyOf(fields), labels);
    }

    /**
     * The name a field declaration declares: {@code unsigned long nr_reclaimed} → {@code nr_reclaimed},
     * {@code char comm[16]} → {@code comm}, {@code const char * name} → {@code name}: what follows the last blank or
     * {@code *}, once an array suffix is cut off at its first {@code [}. One pass over the text: the regular
     * expressions this replaced backtracked over the whole rest of the line from every position, and took 34 s on a
     * crafted 100 KB declaration.
     */
    static String fieldName(String declaration) {
        int end = declaration.length();
        if (end > 0 && declaration.charAt(end - 1) == ']') {
            int open = declaration.indexOf('[');
            if (open >= 0) {
                end = open;
            }
        }
        int start = end;
        while (start > 0 && !separatesName(declaration.charAt(start - 1))) {
            start--;
        }
        return declaration.substring(start, end);
    }

    /** What may stand before a field's name: white space (what {@code \s} matched) or a pointer's {@code *}. */
    private static boolean separatesName(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '*';
    }

    /**
     * Every {@code <system>/<event>.format} under {@code dir}, by event name; an absent directory gives none and a
     * file that cannot be read, or is too large to be one, is left out (the analysis then falls back to the layouts it
     * knows). {@link FormatFiles#load} also says which files were left out and why.
     */
    public static Map<String, EventFormat> loadAll(Path dir) throws IOException {
        return FormatFiles.load(dir).formats();
    }
}
