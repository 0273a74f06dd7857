package dev.reclaimlab.program;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.cgroup.MemoryCgroupFiles;
import dev.reclaimlab.plan.CgroupSpec;
import dev.reclaimlab.plan.Copies;
import dev.reclaimlab.plan.Plan;
import dev.reclaimlab.plan.WorkloadCommand;
import dev.reclaimlab.plan.WorkloadSpec;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.reclaimlab.shell.Sh.quote;

/**
 * Starts every copy of every workload together (lab_spawn), each in its cgroup and its own directory, and waits
 * for all of them (lab_reap). Exit codes go to workloads.csv; output to one log per copy.
 */
public final class WorkloadSteps {
    /** The step that runs the workloads; a non-zero exit there is an experimental outcome, not a broken host. */
    public static final String ID = "workloads";
    /** Time for the step beyond the longest workload timeout: starting, reaping, a slow link. */
    private static final Duration SLACK = Duration.ofSeconds(60);

    private WorkloadSteps() {}

    /** One copy: where it runs and what its log is called in the results. */
    record CopyPlacement(WorkloadSpec workload, int copy, String remoteDir, String cgroupProcs) {}

    static List<CopyPlacement> placements(Plan plan, HostLayout layout, MemoryCgroupFiles files, String iterationDir) {
        List<CopyPlacement> copies = new ArrayList<>();
        for (WorkloadSpec workload : plan.workloads()) {
            List<String> cgroupDirs = cgroupsFor(workload, plan, layout);
            for (int i = 0; i < cgroupDirs.size(); i++) {
                String procs = cgroupDirs.get(i).isEmpty() ? "" : cgroupDirs.get(i) + "/" + files.procs();
                copies.add(new CopyPlacement(workload, i + 1,
                        iterationDir + "/" + RunLayout.workloadDir(workload.name(), i + 1), procs));
            }
        }
        return copies;
    }

    static Step run(Plan plan, List<CopyPlacement> copies, String iterationDir) {
        String list = quote(iterationDir + "/" + RunLayout.WORKLOAD_PIDS);
        List<String> lines = new ArrayList<>();
        lines.add("lab_workloads_begin " + list);
        for (CopyPlacement copy : copies) {
            List<String> words = new ArrayList<>(List.of(copy.workload().name(), Integer.toString(copy.copy()),
                    copy.remoteDir(), copy.cgroupProcs(), Long.toString(copy.workload().timeout().toSeconds())));
            words.addAll(argv(copy.workload().command()));
            lines.add("lab_spawn " + list + " " + Sh.command(words));
        }
        lines.add("lab_reap " + list + " " + quote(iterationDir + "/" + RunLayout.WORKLOADS_CSV));
        Duration longest = plan.workloads().stream().map(WorkloadSpec::timeout).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        String what = plan.workloads().size() == 1 ? "workload " + plan.workloads().get(0).name()
                : plan.workloads().size() + " workloads";
        return Step.action(ID, "run " + what + " (" + copies.size() + " copies)", String.join("\n", lines))
                .withTimeout(longest.plus(SLACK)).asLongRunning();
    }

    static List<Fetch> fetches(List<CopyPlacement> copies, String iterationDir, String localDir) {
        List<Fetch> fetches = new ArrayList<>();
        fetches.add(new Fetch(iterationDir + "/" + RunLayout.WORKLOADS_CSV, localDir + "/" + RunLayout.WORKLOADS_CSV,
                true));
        for (CopyPlacement copy : copies) {
            fetches.add(new Fetch(copy.remoteDir() + "/" + RunLayout.WORKLOAD_OUTPUT,
                    localDir + "/" + RunLayout.workloadLog(copy.workload().name(), copy.copy()), true));
        }
        return fetches;
    }

    /** The argv a copy runs: dd operands are one word each, a shell script goes to sh -c as one word. */
    static List<String> argv(WorkloadCommand command) {
        if (command instanceof WorkloadCommand.Dd dd) {
            List<String> words = new ArrayList<>(List.of("dd"));
            for (Map.Entry<String, String> operand : dd.operands().entrySet()) {
                words.add(operand.getKey() + "=" + operand.getValue());
            }
            return words;
        }
        if (command instanceof WorkloadCommand.Argv argv) {
            return argv.argv();
        }
        return List.of("sh", "-c", ((WorkloadCommand.Shell) command).script());
    }

    /** One cgroup directory per copy; "" for a copy that runs outside any plan cgroup. */
    private static List<String> cgroupsFor(WorkloadSpec workload, Plan plan, HostLayout layout) {
        if (workload.cgroup().isEmpty()) {
            int n = workload.copies() instanceof Copies.Count count ? count.n() : 1;
            return java.util.Collections.nCopies(n, "");
        }
        CgroupSpec cgroup = plan.cgroup(workload.cgroup().get()).orElseThrow();
        if (workload.copies() instanceof Copies.PerChild) {
            return cgroup.childPaths().stream().map(layout::cgroup).toList();
        }
        int n = ((Copies.Count) workload.copies()).n();
        return java.util.Collections.nCopies(n, layout.cgroup(cgroup.path()));
    }
}
