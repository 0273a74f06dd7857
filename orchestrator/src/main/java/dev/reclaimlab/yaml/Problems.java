package dev.reclaimlab.yaml;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * Collects problems while a file is read and bound, so that all of them are reported at once. An optional filter sees
 * each problem as it is added and may reword it or drop it (return {@code null}).
 */
public final class Problems {
    private final TreeSet<Problem> problems = new TreeSet<>();
    private final UnaryOperator<Problem> filter;

    public Problems() {
        this(UnaryOperator.identity());
    }

    public Problems(UnaryOperator<Problem> filter) {
        this.filter = filter;
    }

    public void add(Problem problem) {
        Problem kept = filter.apply(problem);
        if (kept != null) {
            problems.add(kept);
        }
    }

    public void add(Location at, String message) {
        add(new Problem(at, message));
    }

    public void addAll(Collection<Problem> more) {
        more.forEach(this::add);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    public int size() {
        return problems.size();
    }

    /** The problems so far, sorted by location. */
    public List<Problem> list() {
        return new ArrayList<>(problems);
    }

    public void throwIfAny() throws ConfigException {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
