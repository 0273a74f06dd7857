package dev.reclaimlab.plan;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A loaded and fully validated plan file: its variants (the matrix, in declaration order) and the plan resolved for
 * each of them. Loading resolves every variant up front, so an error in any variant is reported before any host is
 * touched.
 *
 * @param repeat how many times each variant runs
 */
public record PlanFile(Path source, String name, List<Variant> variants, int repeat, List<Plan> resolved) {
    public PlanFile {
        variants = List.copyOf(variants);
        resolved = List.copyOf(resolved);
    }


    public Plan planFor(Variant variant) {
        return resolved.get(variants.indexOf(variant));
    }

    /** The trace systems (e.g. {@code vmscan}) any variant enables events of; the facts probe lists their events. */
    public java.util.Set<String> traceSystems() {
        java.util.Set<String> systems = new LinkedHashSet<>();
        for (Plan plan : resolved) {
            plan.tracing().ifPresent(t -> t.events().forEach(e -> systems.add(e.system())));
        }
        return systems;
    }
}
