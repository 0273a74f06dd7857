package dev.reclaimlab.yaml;

import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A single value: a string, an integer, a floating point number, a boolean or null, typed as YAML (through
 * Jackson) reads it: {@code 60} is an integer, {@code "60"} a string, {@code yes} a boolean.
 *
 * @param text    the value as written (without quotes); for {@link Kind#NULL} possibly empty
 * @param integer the value of an {@link Kind#INT}, which YAML may have written {@code 0x10} or {@code 1_000};
 *                {@code null} for the other kinds
 */
public record ScalarNode(Kind kind, String text, BigInteger integer, Location at) implements Node {

    public enum Kind { STRING, INT, FLOAT, BOOL, NULL }

    private static final int DESCRIBE_MAX = 60;

    public ScalarNode {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(at, "at");
        if ((kind == Kind.INT) != (integer != null)) {
            throw new IllegalArgumentException("an integer value is required exactly for INT scalars");
        }
    }

    public static ScalarNode string(String text, Location at) {
        return new ScalarNode(Kind.STRING, text, null, at);
    }

    public static ScalarNode integer(BigInteger value, String text, Location at) {
        return new ScalarNode(Kind.INT, text, value, at);
    }

    public static ScalarNode nothing(Location at) {
        return new ScalarNode(Kind.NULL, "", null, at);
    }

    /** The same value, as if written at another place (a parameter's value where {@code ${param}} stood). */
    public ScalarNode movedTo(Location where) {
        return new ScalarNode(kind, text, integer, where);
    }

    public boolean isString() {
        return kind == Kind.STRING;
    }

    public boolean isNull() {
        return kind == Kind.NULL;
    }

    public Optional<BigInteger> integerValue() {
        return Optional.ofNullable(integer);
    }

    /** {@code true}/{@code false} of a {@link Kind#BOOL} (YAML 1.1 also spells them yes/no, on/off). */
    public boolean booleanValue() {
        if (kind != Kind.BOOL) {
            throw new IllegalStateException("not a boolean: " + text);
        }
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            default -> false;
        };
    }

    @Override
    public String describe() {
        return switch (kind) {
            case STRING -> quote(text);
            case NULL -> text.isEmpty() ? "nothing" : "null";
            default -> text;
        };
    }

    /** {@code "text"} with quotes, backslashes and control characters escaped, shortened if long. */
    public static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (n >= DESCRIBE_MAX) {
                b.append("...");
                break;
            }
            char c = text.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
            n++;
        }
        return b.append('"').toString();
    }
}
