package dev.reclaimlab.plan;

import dev.reclaimlab.boot.BootTarget;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One experiment plan with every variant parameter already substituted: what {@link PlanFile} gives for a
 * {@link Variant}. Everything here has been validated; the step compiler trusts it.
 *
 * @param hosts       host names from the plan; empty means "whatever the command line says, else local"
 * @param boot        the kernel and command line the iterations run on; empty: whatever the host runs
 * @param profile     sampled kernel stacks of every CPU while the workloads run (empty: none)
 * @param kmod        kernel modules loaded for each iteration (empty: none)
 * @param dropCaches  sync and drop the page cache before each repeat so repeats start alike
 * @param verdict     what counts as "storm reproduced" and as a regression, for reports and nightly jobs
 * @param watchdog    how long a host waits for the orchestrator's heartbeat before it undoes the run itself
 * @param shareHosts  the run may drive a host while another run is live there
 */
public record Plan(
        String name,
        String description,
        List<String> hosts,
        Optional<BootSpec> boot,
        Optional<SwapSpec> swap,
        List<Sysctl> sysctls,
        List<CgroupSpec> cgroups,
        Optional<TracingSpec> tracing,
        Optional<MonitorSpec> monitors,
        Optional<ProfileSpec> profile,
        List<WorkloadSpec> workloads,
        KmodSpec kmod,
        boolean dropCaches,
        VerdictSpec verdict,
        Duration watchdog,
        boolean shareHosts) {
    public Plan {
        hosts = List.copyOf(hosts);
        sysctls = List.copyOf(sysctls);
        cgroups = List.copyOf(cgroups);
        workloads = List.copyOf(workloads);
    }


    /** The boot this plan's iterations need; the host's default when the plan has no boot section. */
    public BootTarget bootTarget() {
        return boot.map(BootSpec::target).orElse(BootTarget.hostDefault());
    }

    /**
     * This plan booted into {@code target} instead of its own boot section: {@code lab bisect} runs one plan on every
     * candidate kernel. The boot section's place in the file is kept for messages.
     */
    public Plan withBoot(BootTarget target, dev.reclaimlab.yaml.Location at) {
        return new Plan(name, description, hosts, Optional.of(new BootSpec(target, boot.map(BootSpec::at).orElse(at))),
                swap, sysctls, cgroups, tracing, monitors, profile, workloads, kmod, dropCaches, verdict, watchdog,
                shareHosts);
    }

    public Optional<CgroupSpec> cgroup(String path) {
        return cgroups.stream().filter(c -> c.path().equals(path)).findFirst();
    }
}
