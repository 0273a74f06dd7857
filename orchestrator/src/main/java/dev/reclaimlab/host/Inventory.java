package dev.reclaimlab.host;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The hosts a user can name; always contains the built-in {@code local}. */
public record Inventory(Map<String, HostSpec> hosts) {
    public Inventory {
        Map<String, HostSpec> all = new LinkedHashMap<>();
        all.put(HostSpec.LOCAL_NAME, HostSpec.local());
        all.putAll(hosts);
        hosts = java.util.Collections.unmodifiableMap(all);
    }

    public static Inventory localOnly() {
        return new Inventory(Map.of());
    }

    /** These hosts and {@code other}'s; where both name a host, {@code other}'s wins. */
    public Inventory with(Inventory other) {
        Map<String, HostSpec> all = new LinkedHashMap<>(hosts);
        all.putAll(other.hosts);
        return new Inventory(all);
    }

    public Optional<HostSpec> host(String name) {
        return Optional.ofNullable(hosts.get(name));
    }
}
