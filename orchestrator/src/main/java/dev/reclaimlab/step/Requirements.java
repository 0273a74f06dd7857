package dev.reclaimlab.step;

import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.plan.CgroupSpec;
import dev.reclaimlab.plan.Copies;
import dev.reclaimlab.plan.Plan;
import dev.reclaimlab.plan.PlanFile;
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
    public static List<String> unmet(PlanFile planFile, String hostName, HostFacts facts) {
        Set<String> problems = new LinkedHashSet<>();
        String on = " on host " + hostName;
        if (facts.uid() != 0) {
            problems.add("lab needs root" + on + " (the SSH user has uid " + facts.uid() + ")");
        }
        Set<String> commands = new LinkedHashSet<>(List.of("mkdir", "rmdir", "setsid", "timeout"));
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
        }
        for (String command : commands) {
            if (!facts.has(command)) {
                problems.add("command " + command + " is missing" + on);
            }
        }
        return new ArrayList<>(problems);
    }

    private static void checkWorkload(Plan plan, WorkloadSpec workload, HostFacts facts, String on,
                                      Set<String> problems, Set<String> commands) {
        if (workload.command() instanceof WorkloadCommand.Dd dd) {
            commands.add("dd");
            String of = dd.operands().getOrDefault("of", "");
            if (of.startsWith("/") && !of.equals("/dev/null")) {
                problems.add(workload.at() + ": workload " + workload.name() + " writes dd output to " + of
                        + "; use a relative path (it lands in the workload's own directory and is removed afterwards)");
            }
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
