package dev.reclaimlab.trace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One event's binary record layout, from its format file: the id its records carry in {@code common_type} and where
 * each field lies. The sibling of {@link EventFormat}, which reads the same file for the text path (where each field is
 * printed); this one is for decoding records straight from ring-buffer pages.
 *
 * @param name     the event, e.g. {@code mm_vmscan_lru_shrink_inactive}
 * @param id       the {@code ID:} that records of this event carry in {@code common_type} (per boot and kernel)
 * @param fields   every field, {@code common_*} ones included, by name in declaration order
 * @param printFmt the text after {@code print fmt:} (for flag names: {@link PrintFormat#flags})
 */
public record EventLayout(String name, int id, Map<String, FieldLayout> fields, String printFmt) {
    public EventLayout {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** Reads a format file; null without a {@code name:} or a readable {@code ID:}. */
    public static EventLayout parse(String text) {
        String name = null;
        int id = -1;
        Map<String, FieldLayout> fields = new LinkedHashMap<>();
        String printFmt = "";
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("name:")) {
                name = l.substring(5).strip();
            } else if (l.startsWith("ID:")) {
                String n = l.substring(3).strip();
                id = n.length() <= 5 && !n.isEmpty() && n.chars().allMatch(Character::isDigit) ? Integer.parseInt(n) : -1;
            } else if (l.startsWith("field:")) {
                FieldLayout f = FieldLayout.parse(l);
                if (f != null) {
                    fields.putIfAbsent(f.name(), f);
                }
            } else if (l.startsWith("print fmt:")) {
                printFmt = l.substring("print fmt:".length()).strip();
            }
        }
        // common_type is a u16: an id above 65535 could never match a record
        return name == null || name.isEmpty() || id < 0 || id > 0xffff ? null : new EventLayout(name, id, fields, printFmt);
    }

    /** The field, or null if this kernel's event has none of that name. */
    public FieldLayout field(String fieldName) {
        return fields.get(fieldName);
    }

    /** The layouts of every format of a capture ({@code system/event} → text), by id; unreadable ones left out. */
    public static Map<Integer, EventLayout> byId(Map<String, String> formats) {
        Map<Integer, EventLayout> out = new LinkedHashMap<>();
        for (String text : formats.values()) {
            EventLayout layout = parse(text);
            if (layout != null) {
                out.putIfAbsent(layout.id(), layout);
            }
        }
        return out;
    }

    /** Names of the fields, in declaration order (for messages). */
    public List<String> fieldNames() {
        return new ArrayList<>(fields.keySet());
    }
}
