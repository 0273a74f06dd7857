package dev.reclaimlab.yaml;

import java.util.List;
import java.util.Optional;

/**
 * Turns nodes into values while collecting problems instead of stopping at the first. Every method that can fail
 * reports the problem at the offending node and returns empty, so binding code reads straight through:
 *
 * <pre>{@code
 * Optional<Fields> swap = binder.fields(node, "swap", "swap", List.of("size", "path", "priority"));
 * Size size = swap.get().required("size", SIZE);   // null if missing or bad, and reported
 * }</pre>
 */
public class Binder {
    private final Problems problems;

    public Binder(Problems problems) {
        this.problems = problems;
    }

    public Problems problems() {
        return problems;
    }

    public void problem(Location at, String message) {
        problems.add(at, message);
    }

    public void problem(Node node, String message) {
        problems.add(node.at(), message);
    }

    /** Reads {@code node} with {@code value}; a problem is reported as {@code label: message}. */
    public <T> Optional<T> read(Node node, String label, Value<T> value) {
        try {
            return Optional.ofNullable(value.read(node));
        } catch (Invalid e) {
            problem(node, label + ": " + e.about(node));
            return Optional.empty();
        }
    }

    /**
     * Reads {@code node} as a map of settings called {@code what} (for messages: "unknown key 'x' in cgroup"), whose
     * keys may only be {@code keys} (reported in that order). Unknown keys are reported, with a suggestion when one
     * is close; the known ones are still read.
     */
    public Optional<Fields> fields(Node node, String label, String what, List<String> keys) {
        if (!(node instanceof MapNode map)) {
            problem(node, label + ": expected a map of " + what + " settings (keys: " + String.join(", ", keys)
                    + "), got " + node.describe());
            return Optional.empty();
        }
        for (MapNode.Entry e : map.entries()) {
            if (!keys.contains(e.key())) {
                problem(e.keyAt(), unknownKey(e.key(), "in " + what, keys));
            }
        }
        return Optional.of(new Fields(this, map, what));
    }

    /** A map whose keys are data, not settings (sysctl names, dd operands, parameters). */
    public Optional<MapNode> map(Node node, String label, String expectation) {
        if (node instanceof MapNode map) {
            return Optional.of(map);
        }
        problem(node, label + ": expected " + expectation + ", got " + node.describe());
        return Optional.empty();
    }

    /**
     * The items of a list; a problem unless {@code node} is a non-empty list. {@code expectation} says what the
     * list holds, e.g. {@code a list of "system:event" strings}.
     */
    public Optional<List<Node>> list(Node node, String label, String expectation) {
        if (node instanceof ListNode list && !list.isEmpty()) {
            return Optional.of(list.items());
        }
        problem(node, label + ": expected " + expectation + ", got " + node.describe());
        return Optional.empty();
    }

    /** {@code unknown key 'memory_limt' in cgroup (expected one of: ...); did you mean memory_limit?} */
    public static String unknownKey(String key, String where, List<String> keys) {
        StringBuilder b = new StringBuilder("unknown key '").append(key).append("' ").append(where)
                .append(" (expected one of: ").append(String.join(", ", keys)).append(')');
        Suggest.closest(key, keys).ifPresent(s -> b.append("; did you mean ").append(s).append('?'));
        return b.toString();
    }
}
