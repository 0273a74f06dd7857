package dev.reclaimlab.cgroup;

import java.util.Optional;

/**
 * The control files that differ between memory cgroup v1 and v2. Everything version-specific about cgroups lives
 * here so the step builders read the same for both.
 */
public enum MemoryCgroupFiles {
    V1("memory.limit_in_bytes", Optional.of("memory.swappiness"), Optional.empty()),
    V2("memory.max", Optional.empty(), Optional.of("memory.swap.max"));

    private final String limit;
    private final Optional<String> swappiness;
    private final Optional<String> swapMax;

    MemoryCgroupFiles(String limit, Optional<String> swappiness, Optional<String> swapMax) {
        this.limit = limit;
        this.swappiness = swappiness;
        this.swapMax = swapMax;
    }

    public static MemoryCgroupFiles forVersion(int version) {
        return switch (version) {
            case 1 -> V1;
            case 2 -> V2;
            default -> throw new IllegalArgumentException("no memory cgroup version " + version);
        };
    }

    public String limit() {
        return limit;
    }

    public Optional<String> swappiness() {
        return swappiness;
    }

    public Optional<String> swapMax() {
        return swapMax;
    }

    /** Where a process is moved into the cgroup; {@code cgroup.procs} exists in both versions. */
    public String procs() {
        return "cgroup.procs";
    }

    public boolean needsSubtreeControl() {
        return this == V2;
    }
}
