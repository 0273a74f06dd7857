package dev.reclaimlab.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** One point of a plan's variant matrix, e.g. {@code swappiness=100}. The empty variant is called {@code default}. */
public record Variant(Map<String, String> values) {
    public Variant {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Variant none() {
        return new Variant(Map.of());
    }

    /** For people: {@code swappiness=100, pods=40}. */
    public String label() {
        return values.isEmpty() ? "default"
                : values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** For directory names: {@code swappiness-100_pods-40}; only [A-Za-z0-9._-] survive. */
    public String slug() {
        if (values.isEmpty()) {
            return "default";
        }
        return values.entrySet().stream()
                .map(e -> e.getKey() + "-" + e.getValue())
                .map(s -> s.replaceAll("[^A-Za-z0-9._-]", "_"))
                .collect(Collectors.joining("_"));
    }
}
