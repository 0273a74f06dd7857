package dev.reclaimlab.kmod;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The kernel modules a run uses on one host, prepared before anything on the host changes.
 *
 * @param readings what each patch point of the plan holds now, by point name; empty when lab could not look
 *                 (e.g. {@code lab plan} without a host)
 */
public record HostModules(Optional<PreparedModule> stress, Optional<PreparedModule> patch,
                          Map<String, PatchReading> readings) {

    public HostModules {
        readings = Map.copyOf(readings);
    }

    /** The modules present, stress first. */
    public List<PreparedModule> all() {
        return Stream.of(stress, patch).flatMap(Optional::stream).toList();
    }

    public static HostModules none() {
        return new HostModules(Optional.empty(), Optional.empty(), Map.of());
    }
}
