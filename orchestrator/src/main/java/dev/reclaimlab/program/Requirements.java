package dev.reclaimlab.program;

import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.plan.CgroupSpec;
import dev.reclaimlab.plan.Copies;
import dev.reclaimlab.plan.KmodSpec;
import dev.reclaimlab.plan.Plan;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.ProfileSpec;
import dev.reclaimlab.plan.TraceEvent;
import dev.reclaimlab.plan.WorkloadCommand;
import dev.reclaimlab.plan.WorkloadSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a plan needs from a host, checked against the host's facts before anything is changed on it. Each
 * shortfall is one sentence naming what is missing and, where the plan asks for it, where.
 */
public final class Requirements {
    private Requirements() {}

    /** Problems that stop the plan on this host; empty when it can run. */
    public static List<String> unmet(PlanFile planFile, HostSpec host, HostFacts facts) {
        Set<String> problems = new LinkedHashSet<>();
        String hostName = host.name();
        String on = " on host " + hostName;
        if (facts.uid() != 0) {
            problems.add("lab needs root" + on + " (the SSH user has uid " + facts.uid() + ")");
        }
        Set<String> commands = new LinkedHashSet<>(List.of("mkdir", "rmdir", "setsid", "timeout", "stat"));
        for (Plan plan : planFile.resolved()) {
            if (!plan.cgroups().isEmpty() && facts.memoryCgroupVersion() == 0) {
                problems.add("the plan makes memory cgroups, but" + on.substring(3)
                        + " has no memory cgroup controller mounted (cgroup mode " + facts.cgroupMode() + ")");
            }
            for (CgroupSpec cgroup : plan.cgroups()) {
                boolean swappiness = cgroup.swappiness().isPresent()
                        || cgroup.children().flatMap(c -> c.swappiness()).isPresent();
                boolean swapMax = cgroup.swapMax().isPresent()
                        || cgroup.children().flatMap(c -> c.swapMax()).isPresent();
                if (swappiness && facts.memoryCgroupVersion() == 2) {
                    problems.add(cgroup.at() + ": cgroup " + cgroup.path() + " sets swappiness, which only cgroup v1 has;"
                            + on.substring(3) + " has cgroup v2 (use sysctl vm.swappiness, or swap_max)");
                }
                if (swapMax && facts.memoryCgroupVersion() == 1) {
                    problems.add(cgroup.at() + ": cgroup " + cgroup.path() + " sets swap_max, which only cgroup v2 has;"
                            + on.substring(3) + " has cgroup v1 (use swappiness)");
                }
            }
            if (plan.swap().isPresent()) {
                commands.addAll(List.of("dd", "mkswap", "swapon", "swapoff"));
                if (plan.swap().get().size().bytes() < 1024 * 1024) {
                    problems.add(plan.swap().get().at() + ": a swap file needs at least 1M");
                }
            }
            if (plan.tracing().isPresent()) {
                if (facts.tracefs().isEmpty() && !facts.tracefsSupported()) {
                    problems.add("the plan traces events, but" + on.substring(3) + " has no tracefs");
                } else if (facts.tracefs().isPresent()) {
                    for (TraceEvent event : plan.tracing().get().events()) {
                        if (!facts.events().contains(event.toString())) {
                            problems.add(event.at() + ": event " + event + " is not available" + on
                                    + " (kernel " + facts.kernelRelease() + ")");
                        }
                    }
                }
            }
            for (WorkloadSpec workload : plan.workloads()) {
                checkWorkload(plan, workload, facts, on, problems, commands);
            }
            checkModules(plan.kmod(), host, facts, on, problems, commands);
            plan.profile().ifPresent(profile -> {
                if (profile.tool() == ProfileSpec.Tool.PERF) {
                    commands.add("perf");
                }
                if (!facts.allows(HostFacts.KALLSYMS)) {
                    problems.add("the plan profiles kernel stacks, which lab names from /proc/kallsyms, but its "
                            + "addresses read as zeros" + on + " (run as root, or sysctl kernel.kptr_restrict=0)");
                }
            });
        }
        for (String command : commands) {
            if (!facts.has(command)) {
                problems.add("command " + command + " is missing" + on);
            }
        }
        return new ArrayList<>(problems);
    }

    /**
     * Modules: the host must let lab load them and, unless lab builds them on the orchestrator (a {@code lab vm}
     * guest), build them; the patch module is ARM64 only and reads kernel text through kcore and kallsyms.
     */
    private static void checkModules(KmodSpec kmod, HostSpec host, HostFacts facts, String on, Set<String> problems,
                                     Set<String> commands) {
        if (kmod.isEmpty()) {
            return;
        }
        commands.addAll(List.of("insmod", "rmmod", "dmesg"));
        if (host.kind().moduleBuild() == HostKind.ModuleBuild.ON_HOST) {
            commands.addAll(List.of("make", "gcc"));
            if (!facts.allows(HostFacts.KBUILD)) {
                problems.add("the plan loads kernel modules, which lab builds on the host against /lib/modules/"
                        + facts.kernelRelease() + "/build, but it is missing" + on + " (install the kernel's headers: "
                        + "Debian/Ubuntu linux-headers-" + facts.kernelRelease() + ", RHEL/openEuler kernel-devel-"
                        + facts.kernelRelease() + ")");
            }
        }
        kmod.stress().ifPresent(stress -> {
            for (int cpu : stress.cpus()) {
                if (cpu >= facts.cpus()) {
                    problems.add(stress.at() + ": kmod.stress.cpus has CPU " + cpu + ", but" + on.substring(3)
                            + " has " + facts.cpus() + " CPUs online (0-" + (facts.cpus() - 1) + ")");
                }
            }
        });
        kmod.patch().ifPresent(patch -> {
            if (!facts.machine().equals("aarch64")) {
                problems.add(patch.at() + ": kmod.patch writes ARM64 instructions, but" + on.substring(3) + " is "
                        + facts.machine());
            }
            if (!facts.allows(HostFacts.KALLSYMS)) {
                problems.add("kmod.patch needs real addresses in /proc/kallsyms" + on
                        + " (they read as zeros: run as root, or sysctl kernel.kptr_restrict=0)");
            }
            if (!facts.allows(HostFacts.KCORE)) {
                problems.add("kmod.patch reads the instructions it replaces from /proc/kcore, which is not readable" + on
                        + " (a kernel built without CONFIG_PROC_KCORE, or lockdown)");
            }
            commands.add("od");
        });
    }

    private static void checkWorkload(Plan plan, WorkloadSpec workload, HostFacts facts, String on,
                                      Set<String> problems, Set<String> commands) {
        if (workload.command() instanceof WorkloadCommand.Dd) {
            commands.add("dd"); // where dd writes was checked with the plan (PlanBinder.DD_OUTPUT)
        }
        if (facts.memoryCgroupVersion() == 2 && workload.cgroup().isPresent()
                && !(workload.copies() instanceof Copies.PerChild)) {
            String path = workload.cgroup().get();
            boolean inner = plan.cgroup(path).flatMap(CgroupSpec::children).isPresent()
                    || plan.cgroups().stream().anyMatch(c -> c.path().startsWith(path + "/"));
            if (inner) {
                problems.add(workload.at() + ": workload " + workload.name() + " runs in cgroup " + path
                        + ", which has children; cgroup v2" + on
                        + " allows processes only in leaf cgroups (use copies: per-child, or a leaf cgroup)");
            }
        }
    }
}
