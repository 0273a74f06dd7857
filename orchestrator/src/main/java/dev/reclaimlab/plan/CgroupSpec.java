package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Location;
import java.util.List;
import java.util.Optional;

/**
 * A memory cgroup to create, by a path relative to the run's own cgroup (so a plan can never clobber a
 * cgroup it did not make). {@code swappiness} exists only in cgroup v1, {@code swapMax} only in v2.
 */
public record CgroupSpec(
        String path,
        Optional<Limit> memoryLimit,
        Optional<Integer> swappiness,
        Optional<Limit> swapMax,
        Optional<ChildrenSpec> children,
        Location at) {

    /** Paths of the fan-out children, e.g. {@code kubepods/pod01 .. kubepods/pod40}; empty without fan-out. */
    public List<String> childPaths() {
        return children.map(c -> c.names().stream().map(n -> path + "/" + n).toList()).orElse(List.of());
    }
}
