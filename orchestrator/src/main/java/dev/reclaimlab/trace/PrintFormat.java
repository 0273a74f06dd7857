package dev.reclaimlab.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code print fmt:} line of an event's format file, read as "which text precedes each field". An event prints
 * {@code "nid=%d nr_scanned=%ld ... flags=%s", REC->nid, REC->nr_scanned, ..., (REC->reclaim_flags) ? ...}: field
 * {@code nr_scanned} is found after {@code " nr_scanned="}, {@code reclaim_flags} after {@code " flags="}. Kernels
 * rename and reorder fields (4.18's {@code may_writepage}, {@code classzone_idx}; shrink_slab with or without
 * {@code nid:}), so the analysis asks the trace's own format files rather than hard-coding one kernel's layout.
 */
public final class PrintFormat {
    private static final Pattern FIELD = Pattern.compile("REC->([A-Za-z_][A-Za-z0-9_]*)");

    private PrintFormat() {}

    /**
     * Field name → the literal text between the previous conversion and this field's conversion, in print order.
     * Empty when the line cannot be read.
     */
    public static Map<String, String> labels(String printFmt) {
        Map<String, String> labels = new LinkedHashMap<>();
        int open = printFmt.indexOf('"');
        if (open < 0) {
            return labels;
        }
        StringBuilder format = new StringBuilder();
        int i = open + 1;
        for (; i < printFmt.length() && printFmt.charAt(i) != '"'; i++) {
            char c = printFmt.charAt(i);
            if (c == '\\' && i + 1 < printFmt.length()) {
                char n = printFmt.charAt(++i);
                format.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                format.append(c);
            }
        }
        if (i >= printFmt.length()) {
            return labels;
        }
        List<String> args = arguments(printFmt.substring(i + 1));
        int arg = 0;
        StringBuilder literal = new StringBuilder();
        String f = format.toString();
        for (int p = 0; p < f.length(); p++) {
            char c = f.charAt(p);
            if (c != '%') {
                literal.append(c);
                continue;
            }
            if (p + 1 < f.length() && f.charAt(p + 1) == '%') {
                literal.append('%');
                p++;
                continue;
            }
            p++;
            while (p < f.length() && "-+ #0".indexOf(f.charAt(p)) >= 0) {
                p++;
            }
            while (p < f.length() && (Character.isDigit(f.charAt(p)) || f.charAt(p) == '*' || f.charAt(p) == '.')) {
                if (f.charAt(p) == '*') {
                    arg++; // a width or precision taken from the arguments
                }
                p++;
            }
            while (p < f.length() && "hlLqjzt".indexOf(f.charAt(p)) >= 0) {
                p++;
            }
            if (p >= f.length()) {
                break;
            }
            if (f.charAt(p) == 'p') { // kernel pointer extensions: %pS, %pF, %pK, ...
                while (p + 1 < f.length() && Character.isLetterOrDigit(f.charAt(p + 1))) {
                    p++;
                }
            }
            if (arg < args.size()) {
                Matcher m = FIELD.matcher(args.get(arg));
                if (m.find()) {
                    labels.putIfAbsent(m.group(1), literal.toString());
                }
            }
            arg++;
            literal.setLength(0);
        }
        return labels;
    }

    /** The comma-separated expressions after the format string, split at top-level commas only. */
    private static List<String> arguments(String rest) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        StringBuilder current = null;
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                if (current != null) {
                    args.add(current.toString().trim());
                }
                current = new StringBuilder();
                continue;
            }
            if (current != null) {
                current.append(c);
            }
        }
        if (current != null) {
            args.add(current.toString().trim());
        }
        return args;
    }

    private static final Pattern FLAG = Pattern.compile("\\{\\s*([^,{}\"]{1,40}?)\\s*,\\s*\"([^\"]{1,200})\"\\s*}");

    /**
     * The flag table of {@code __print_flags(REC->field, "|", {0x0001u, "RECLAIM_WB_ANON"}, ...)} in a print fmt: flag
     * name → bit value, for entries whose value is a plain number ({@code 0x0001u}, {@code 4}); entries written as
     * expressions (gfp masks) are left out. Empty when the field has no such table. Kernels have renumbered flags, so
     * a binary record's bits are named from its own format, never from constants.
     */
    public static Map<String, Long> flags(String printFmt, String field) {
        Map<String, Long> flags = new LinkedHashMap<>();
        int at = printFmt.indexOf("__print_flags(REC->" + field);
        if (at < 0) {
            return flags;
        }
        int depth = 0;
        int end = at;
        for (; end < printFmt.length(); end++) {
            char c = printFmt.charAt(end);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                break;
            }
        }
        Matcher m = FLAG.matcher(printFmt);
        m.region(at, end);
        while (m.find()) {
            long value = plainNumber(m.group(1));
            if (value >= 0) {
                flags.putIfAbsent(m.group(2), value);
            }
        }
        return flags;
    }

    /** {@code 0x0001u}, {@code 16}, {@code 0x10UL}: the value; -1 for anything else. */
    private static long plainNumber(String text) {
        String t = text.strip();
        while (!t.isEmpty() && "uUlL".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
