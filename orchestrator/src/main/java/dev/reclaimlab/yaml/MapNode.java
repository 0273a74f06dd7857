package dev.reclaimlab.yaml;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML mapping with string keys, in file order. Keys are unique: the reader reports a repeated key as a problem and
 * keeps the first.
 */
public final class MapNode implements Node {

    /** One {@code key: value} pair and where the key was written. */
    public record Entry(String key, Location keyAt, Node value) {}

    private final List<Entry> entries;
    private final Map<String, Entry> byKey = new LinkedHashMap<>();
    private final Location at;

    public MapNode(List<Entry> entries, Location at) {
        this.entries = List.copyOf(entries);
        this.at = at;
        for (Entry e : this.entries) {
            if (byKey.putIfAbsent(e.key(), e) != null) {
                throw new IllegalArgumentException("duplicate key " + e.key());
            }
        }
    }

    public List<Entry> entries() {
        return entries;
    }

    public Set<String> keys() {
        return java.util.Collections.unmodifiableSet(byKey.keySet());
    }

    public boolean has(String key) {
        return byKey.containsKey(key);
    }

    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    public Optional<Node> get(String key) {
        return entry(key).map(Entry::value);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public Location at() {
        return at;
    }

    @Override
    public String describe() {
        return entries.isEmpty() ? "an empty map" : "a map";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapNode m && m.entries.equals(entries) && m.at.equals(at);
    }

    @Override
    public int hashCode() {
        return entries.hashCode() * 31 + at.hashCode();
    }

    @Override
    public String toString() {
        return "MapNode" + entries + "@" + at;
    }
}
