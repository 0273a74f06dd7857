package dev.reclaimlab.plan;

import dev.reclaimlab.boot.BootTarget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

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

    /** The variants that run on one boot, and that boot. */
    public record BootGroup(BootTarget target, PlanFile plan) {}

    /**
     * The plan cut by boot: one group per distinct kernel and command line, in the order the matrix first names
     * them, each with all of its variants (and so all of their repeats). A host is booted once per group. A plan
     * without a boot section is one group on the host's default.
     */
    public List<BootGroup> bootGroups() {
        Map<BootTarget, List<Variant>> groups = new LinkedHashMap<>();
        for (Variant variant : variants) {
            groups.computeIfAbsent(planFor(variant).bootTarget(), t -> new ArrayList<>()).add(variant);
        }
        List<BootGroup> out = new ArrayList<>();
        groups.forEach((target, members) -> out.add(new BootGroup(target, only(members))));
        return List.copyOf(out);
    }

    /**
     * This plan with every variant booted into {@code kernel}, each keeping its own command-line words: how a nightly
     * job runs a plan on the night's kernel.
     */
    public PlanFile bootingInto(String kernel, dev.reclaimlab.yaml.Location at) {
        List<Plan> booted = resolved.stream().map(p -> p.withBoot(new BootTarget(java.util.Optional.of(kernel),
                p.bootTarget().add(), p.bootTarget().remove()), at)).toList();
        return new PlanFile(source, name, variants, repeat, booted);
    }

    /** Whether any variant boots something other than the host's default. */
    public boolean boots() {
        return resolved.stream().anyMatch(p -> !p.bootTarget().isHostDefault());
    }

    /** This plan with only {@code members} of its variants, in their order here. */
    public PlanFile only(List<Variant> members) {
        List<Variant> kept = variants.stream().filter(members::contains).toList();
        return new PlanFile(source, name, kept, repeat, kept.stream().map(this::planFor).toList());
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
