package dev.reclaimlab.yaml;

import java.util.Comparator;
import java.util.Objects;

/**
 * One thing wrong with a user's file, and where: rendered {@code plan.yaml:7:5: unknown key 'memory_limt' in cgroup}.
 * A location with line 0 stands for the whole file (it could not be read at all) and renders as {@code plan.yaml: ...}.
 */
public record Problem(Location at, String message) implements Comparable<Problem> {

    private static final Comparator<Problem> ORDER = Comparator
            .comparing((Problem p) -> String.valueOf(p.at.file()))
            .thenComparingInt(p -> p.at.line())
            .thenComparingInt(p -> p.at.column())
            .thenComparing(Problem::message);

    public Problem {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(message, "message");
    }

    /** A problem with the file as a whole (missing, unreadable, not UTF-8). */
    public static Problem ofFile(java.nio.file.Path file, String message) {
        return new Problem(new Location(file, 0, 0), message);
    }

    /** {@code file:line:column: message}, or {@code file: message} for a problem with the whole file. */
    public String render() {
        String where = at.line() > 0 ? at.toString() : String.valueOf(at.file());
        return where + ": " + message;
    }

    @Override
    public String toString() {
        return render();
    }

    @Override
    public int compareTo(Problem other) {
        return ORDER.compare(this, other);
    }
}
