package dev.reclaimlab.yaml;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A user's file (plan, inventory) is wrong. Carries every problem found, sorted by location and without duplicates;
 * {@link #getMessage()} is the text to show, one {@code file:line:column: message} line per problem. The message never
 * contains parser internals, so callers print it as it is and never a stack trace.
 */
public final class ConfigException extends Exception {
    private final List<Problem> problems;

    public ConfigException(Collection<Problem> problems) {
        this(List.copyOf(new TreeSet<>(problems)));
    }

    public ConfigException(Problem problem) {
        this(List.of(problem));
    }

    public ConfigException(Location at, String message) {
        this(new Problem(at, message));
    }

    private ConfigException(List<Problem> sorted) {
        super(render(sorted));
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = sorted;
    }

    /** The problems, sorted by file, line, column. */
    public List<Problem> problems() {
        return problems;
    }

    private static String render(List<Problem> problems) {
        return problems.stream().map(Problem::render).collect(Collectors.joining("\n"));
    }
}
