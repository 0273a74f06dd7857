package dev.reclaimlab.yaml;

import java.math.BigInteger;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Reads one node as a T, or throws {@link Invalid} saying what was expected. Small building blocks for binders:
 * {@code Value.integer(0, 200)}, {@code Value.matching(NAME, "a name made of A-Z a-z 0-9 . _ -")}, {@code .map(...)},
 * {@code .check(...)}.
 */
@FunctionalInterface
public interface Value<T> {

    T read(Node node);

    /** Converts what this value read. */
    default <R> Value<R> map(Function<? super T, ? extends R> f) {
        return node -> f.apply(read(node));
    }

    /** Adds a check on what this value read; {@code problem} words the complaint (no "got" is appended). */
    default Value<T> check(Predicate<? super T> ok, Function<? super T, String> problem) {
        return node -> {
            T value = read(node);
            if (!ok.test(value)) {
                throw Invalid.because(problem.apply(value));
            }
            return value;
        };
    }

    /** Any node, unread: for values that need more than one node to bind. */
    static Value<Node> node() {
        return node -> node;
    }

    /** A string (quoted or not, but not a number, boolean or null), free text except for NUL. */
    static Value<String> string(String expectation) {
        return node -> {
            if (node instanceof ScalarNode s && s.isString()) {
                if (s.text().indexOf('\0') >= 0) {
                    throw Invalid.because("must not contain a NUL character");
                }
                return s.text();
            }
            throw Invalid.expected(expectation);
        };
    }

    /** Free text. */
    static Value<String> text() {
        return string("text");
    }

    /** Text that is not empty or only blanks. */
    static Value<String> nonBlank(String expectation) {
        Value<String> string = string(expectation);
        return node -> {
            String s = string.read(node);
            if (s.isBlank()) {
                throw Invalid.expected(expectation);
            }
            return s;
        };
    }

    /** A string that fully matches {@code pattern}; {@code expectation} says what that means in words. */
    static Value<String> matching(Pattern pattern, String expectation) {
        Value<String> string = string(expectation);
        return node -> {
            String s = string.read(node);
            if (!pattern.matcher(s).matches()) {
                throw Invalid.expected(expectation);
            }
            return s;
        };
    }

    /**
     * Any non-null scalar as text, exactly as written: {@code 010} stays "010" and {@code yes} stays "yes". For values
     * handed on verbatim (program arguments, dd operands).
     */
    static Value<String> scalarText(String expectation) {
        return node -> {
            if (node instanceof ScalarNode s && !s.isNull()) {
                if (s.text().indexOf('\0') >= 0) {
                    throw Invalid.because("must not contain a NUL character");
                }
                return s.text();
            }
            throw Invalid.expected(expectation);
        };
    }

    /** An integer in {@code min..max}. */
    static Value<Integer> integer(int min, int max) {
        String expectation = max == Integer.MAX_VALUE ? "an integer >= " + min : "an integer " + min + ".." + max;
        return node -> {
            if (node instanceof ScalarNode s && s.integer() != null) {
                BigInteger v = s.integer();
                if (v.compareTo(BigInteger.valueOf(min)) >= 0 && v.compareTo(BigInteger.valueOf(max)) <= 0) {
                    return v.intValueExact();
                }
            }
            throw Invalid.expected(expectation);
        };
    }

    /** {@code true} or {@code false}. */
    static Value<Boolean> bool() {
        return node -> {
            if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.BOOL) {
                return s.booleanValue();
            }
            throw Invalid.expected("true or false");
        };
    }

    /** One of an enum's constants, written in lower case. */
    static <E extends Enum<E>> Value<E> lowerCaseEnum(Class<E> type) {
        E[] constants = type.getEnumConstants();
        StringBuilder names = new StringBuilder();
        for (E e : constants) {
            names.append(names.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT));
        }
        String expectation = "one of " + names;
        return node -> {
            if (node instanceof ScalarNode s && s.isString()) {
                for (E e : constants) {
                    if (e.name().toLowerCase(Locale.ROOT).equals(s.text())) {
                        return e;
                    }
                }
            }
            throw Invalid.expected(expectation);
        };
    }
}
