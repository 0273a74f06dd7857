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

    /** Modules are rendered for some kernel; lab plan --probe renders them for the host's own. */
    static final String ASSUMED_KERNEL = "6.1.0-assumed";

    static HostFacts of(int memoryCgroupVersion, dev.reclaimlab.plan.PlanFile plan) {
        Set<String> events = new java.util.LinkedHashSet<>();
        plan.resolved().forEach(p -> p.tracing().ifPresent(t -> t.events().forEach(e -> events.add(e.toString()))));
        boolean v1 = memoryCgroupVersion == 1;
        return new HostFacts("(assumed)", 0, ASSUMED_KERNEL, "aarch64", "", "", 1, 0, 0,
                v1 ? CgroupMode.HYBRID : CgroupMode.UNIFIED, memoryCgroupVersion,
                Optional.of(v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup"), !v1, 0,
                Optional.of("/sys/kernel/tracing"), true, events, List.of(), true,
                Set.of("dd", "mkswap", "swapon", "swapoff", "setsid", "timeout", "sha256sum", "mkdir", "rmdir", "stat",
                        "insmod", "rmmod", "dmesg", "od", "make", "gcc"),
                Set.of(HostFacts.KBUILD, HostFacts.KCORE, HostFacts.KALLSYMS, HostFacts.KMSG), "sh", 0);
    }
}
