package dev.reclaimlab.bisect;

import dev.reclaimlab.boot.BootTarget;
import java.util.ArrayList;
import java.util.List;

/**
 * One kernel a bisect may boot, at its place in the order in which the regression is assumed to have arrived.
 *
 * @param kernel   as a plan's {@code boot.kernel} takes it: an installed release, a Debian package, ABI or version, a
 *                 {@code .deb}/{@code .rpm} file, or a folder with {@code vmlinuz} and {@code initrd}
 * @param add      command-line words this candidate boots with, on top of the plan's
 * @param remove   command-line words this candidate boots without
 * @param pkg      the Debian package it came from ({@code linux-image-6.1.0-44-arm64:arm64}), where it came from apt;
 *                 null otherwise
 * @param version  that package's Debian version; null otherwise
 * @param checksum the package's SHA-256, where known: two candidates with one checksum are one build
 */
public record Candidate(String kernel, List<String> add, List<String> remove, String pkg, String version,
                        String checksum) {
    public Candidate {
        add = add == null ? List.of() : List.copyOf(add);
        remove = remove == null ? List.of() : List.copyOf(remove);
    }

    public static Candidate kernel(String kernel) {
        return new Candidate(kernel, List.of(), List.of(), null, null, null);
    }

    /** What the host boots to measure this candidate: its kernel, the plan's command line with its own words. */
    public BootTarget target(BootTarget plan) {
        List<String> adding = new ArrayList<>(plan.add());
        add.stream().filter(w -> !adding.contains(w)).forEach(adding::add);
        adding.removeAll(remove);
        List<String> removing = new ArrayList<>(plan.remove());
        remove.stream().filter(w -> !removing.contains(w)).forEach(removing::add);
        removing.removeAll(add);
        return new BootTarget(java.util.Optional.of(kernel), adding, removing);
    }

    /** {@code 6.1.0-47 +sysctl.vm.swappiness=10} */
    public String label() {
        StringBuilder s = new StringBuilder(kernel);
        add.forEach(w -> s.append(" +").append(w));
        remove.forEach(w -> s.append(" -").append(w));
        return s.toString();
    }
}
