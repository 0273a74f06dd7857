package dev.reclaimlab.cli;

import dev.reclaimlab.host.CgroupMode;
import dev.reclaimlab.host.HostFacts;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Facts {@code lab plan} assumes when it must not contact a host: a typical root shell with the given cgroup version
 * and every event the plan traces.
 */
final class AssumedFacts {
    private AssumedFacts() {}

    static HostFacts of(int memoryCgroupVersion, dev.reclaimlab.plan.PlanFile plan) {
        Set<String> events = new java.util.LinkedHashSet<>();
        plan.resolved().forEach(p -> p.tracing().ifPresent(t -> t.events().forEach(e -> events.add(e.toString()))));
        boolean v1 = memoryCgroupVersion == 1;
        return new HostFacts("(assumed)", 0, "(assumed)", "(assumed)", "", "", 1, 0, 0,
                v1 ? CgroupMode.HYBRID : CgroupMode.UNIFIED, memoryCgroupVersion,
                Optional.of(v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup"), !v1, 0,
                Optional.of("/sys/kernel/tracing"), true, events, List.of(), true,
                Set.of("dd", "mkswap", "swapon", "swapoff", "setsid", "timeout", "sha256sum", "mkdir", "rmdir"), "sh");
    }
}
