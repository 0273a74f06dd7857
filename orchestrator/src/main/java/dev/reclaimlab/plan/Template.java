package dev.reclaimlab.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plan scalar that mentions parameters: {@code ${swappiness}}, {@code pod-${n}}. {@code $${} writes a literal
 * {@code ${}.
 */
record Template(List<Part> parts) {
    public Template {
        parts = List.copyOf(parts);
    }


    sealed interface Part {}

    record Text(String text) implements Part {}

    record Ref(String name) implements Part {}

    /** Whether the text needs a template at all (mentions {@code ${}, maybe escaped). */
    static boolean mentions(String text) {
        return text.contains("${");
    }

    /** Thrown for a {@code ${} that does not form a reference; the message says what is wrong. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    static Template parse(String text) throws Malformed {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                literal.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new Malformed("'${' without a closing '}' (write $${ for a literal ${)");
                }
                String name = text.substring(i + 2, close);
                if (!PlanValues.PARAM_NAME.matcher(name).matches()) {
                    throw new Malformed("'${" + name + "}' is not a parameter reference: parameter names are "
                            + "lower case letters, digits and '_', starting with a letter (write $${ for a literal ${)");
                }
                if (literal.length() > 0) {
                    parts.add(new Text(literal.toString()));
                    literal.setLength(0);
                }
                parts.add(new Ref(name));
                i = close + 1;
            } else {
                literal.append(text.charAt(i));
                i++;
            }
        }
        if (literal.length() > 0 || parts.isEmpty()) {
            parts.add(new Text(literal.toString()));
        }
        return new Template(List.copyOf(parts));
    }

    /** {@code ${p}} and nothing else: takes the parameter's value with its type. */
    boolean isExactRef() {
        return parts.size() == 1 && parts.get(0) instanceof Ref;
    }

    List<String> refs() {
        return parts.stream().filter(p -> p instanceof Ref).map(p -> ((Ref) p).name()).distinct().toList();
    }

    /** The text with every reference replaced by its value's text. */
    String interpolate(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Text t) {
                b.append(t.text());
            } else {
                b.append(values.get(((Ref) p).name()));
            }
        }
        return b.toString();
    }
}
