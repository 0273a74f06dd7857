package dev.reclaimlab.plan;

import java.nio.file.Path;
import java.util.List;

/**
 * A loaded and fully validated plan file: its variants (the matrix, in declaration order) and the plan resolved for
 * each of them. Loading resolves every variant up front, so an error in any variant is reported before any host is
 * touched.
 *
 * @param repeat how many times each variant runs
 */
public record PlanFile(Path source, String name, List<Variant> variants, int repeat, List<Plan> resolved) {

    public Plan planFor(Variant variant) {
        return resolved.get(variants.indexOf(variant));
    }
}
