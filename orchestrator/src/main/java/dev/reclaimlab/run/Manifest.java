package dev.reclaimlab.run;

import java.util.List;

/**
 * {@code manifest.json}: the stable index of a run directory that later tools and CI jobs read. Paths are
 * relative to the run directory. Documented in the README; add fields, never change the meaning of one.
 *
 * @param status {@code ok}, {@code failed} (a step or workload failed), {@code unmet} (a host lacked what the plan
 *               needs), {@code residue} (teardown left something: run lab cleanup), {@code interrupted} (Ctrl-C),
 *               or {@code running} while the run goes on
 */
public record Manifest(String format, int version, String runId, String plan, String planSource,
                       String planResolved, String status, String startedAt, String finishedAt, String labVersion,
                       List<HostEntry> hosts, List<IterationEntry> iterations, String steps, String report) {

    public static final String FORMAT = "reclaim-lab/manifest";
    public static final int VERSION = 1;

    /**
     * @param teardown {@code complete}, {@code incomplete} (run {@code lab cleanup}) or {@code not-needed}
     * @param console  VM hosts only: the copy of the VM's serial console log taken at the end of the run
     *                 ({@code hosts/<host>/console.log}); absent for other hosts
     */
    public record HostEntry(String name, String facts, String kernel, String status, List<String> problems,
                            String teardown, String console) {
        /** A host without a console log (not a VM). */
        public HostEntry(String name, String facts, String kernel, String status, List<String> problems,
                         String teardown) {
            this(name, facts, kernel, status, problems, teardown, null);
        }
    }

    /**
     * @param status {@code ok}, {@code workload-failed}, {@code failed}, {@code interrupted}
     */
    public record IterationEntry(String host, java.util.Map<String, String> variant, String variantLabel,
                                 int repeat, String dir, String status, String error, String startedAt,
                                 long durationMs, Artifacts artifacts, List<WorkloadExit> workloads,
                                 Long lostEvents) {}

    /** Files of one iteration; absent ones are omitted. */
    public record Artifacts(String trace, String traceStats, List<String> formats, List<String> monitors,
                            String workloads, List<String> workloadLogs, String metrics) {}

    public record WorkloadExit(String workload, int copy, int exit) {}
}
