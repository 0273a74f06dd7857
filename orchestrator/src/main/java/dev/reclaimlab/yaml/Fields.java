package dev.reclaimlab.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The settings of one YAML map, made by {@link Binder#fields}. Getters report a missing required key at the map,
 * and a bad value at the value, as {@code key: expected ..., got ...}; they return {@code null} / empty then.
 */
public final class Fields {
    private final Binder binder;
    private final MapNode map;
    private final String what;

    Fields(Binder binder, MapNode map, String what) {
        this.binder = binder;
        this.map = map;
        this.what = what;
    }

    public MapNode node() {
        return map;
    }

    public Location at() {
        return map.at();
    }

    /** What the map is called in messages, e.g. {@code cgroup}. */
    public String what() {
        return what;
    }

    public Binder binder() {
        return binder;
    }

    public boolean has(String key) {
        return map.has(key);
    }

    public Optional<Node> get(String key) {
        return map.get(key);
    }

    public Optional<Location> keyAt(String key) {
        return map.entry(key).map(MapNode.Entry::keyAt);
    }

    /** The node of a required key; reports it missing (at the map) if it is not there. */
    public Optional<Node> requiredNode(String key) {
        Optional<Node> node = map.get(key);
        if (node.isEmpty()) {
            binder.problem(map.at(), "missing required key '" + key + "' in " + what);
        }
        return node;
    }

    /** A required value; {@code null} (reported) if missing or bad. */
    public <T> T required(String key, Value<T> value) {
        return requiredNode(key).flatMap(n -> binder.read(n, key, value)).orElse(null);
    }

    /** An optional value; empty if absent, or if bad (reported). */
    public <T> Optional<T> optional(String key, Value<T> value) {
        return map.get(key).flatMap(n -> binder.read(n, key, value));
    }

    /** An optional value with a default; the default also stands in for a bad value (which is reported). */
    public <T> T optional(String key, Value<T> value, T defaultValue) {
        return optional(key, value).orElse(defaultValue);
    }

    /** An optional nested map of settings. */
    public Optional<Fields> fields(String key, String what, List<String> keys) {
        return map.get(key).flatMap(n -> binder.fields(n, key, what, keys));
    }

    /** An optional non-empty list; reported if present but not a non-empty list. */
    public Optional<List<Node>> list(String key, String expectation) {
        return map.get(key).flatMap(n -> binder.list(n, key, expectation));
    }

    /** Every item of an optional list read with {@code value}; bad items are reported and left out. */
    public <T> Optional<List<T>> listOf(String key, String expectation, Value<T> value) {
        return list(key, expectation).map(items -> {
            List<T> out = new ArrayList<>();
            for (Node item : items) {
                binder.read(item, key, value).ifPresent(out::add);
            }
            return out;
        });
    }

    /**
     * Exactly one of {@code choices} must be present: none is reported at the map, a second one at its key.
     * Returns the first one present.
     */
    public Optional<String> exactlyOne(String label, List<String> choices) {
        String first = null;
        for (MapNode.Entry e : map.entries()) {
            if (!choices.contains(e.key())) {
                continue;
            }
            if (first == null) {
                first = e.key();
            } else {
                binder.problem(e.keyAt(), label + " has both " + first + " and " + e.key()
                        + "; give exactly one of " + String.join(", ", choices));
            }
        }
        if (first == null) {
            binder.problem(map.at(), label + " needs one of " + String.join(", ", choices));
        }
        return Optional.ofNullable(first);
    }
}
