package dev.reclaimlab.step;

/**
 * Where one run puts things on one host. Every name carries the run id, so two runs never share anything and
 * whatever a crashed run left is recognisable.
 *
 * @param journal        {@code /run/lab/<run-id>}: undo entries, saved values, the helper library
 * @param workdir        {@code <host workdir>/<run-id>}: swap file, traces, workload files (on disk, not tmpfs)
 * @param cgroupRoot     {@code <memory cgroup root>/lab-<run-id>}: parent of every plan cgroup
 * @param traceInstance  {@code <tracefs>/instances/lab-<run-id>}: the lab's own ring buffer
 */
public record HostLayout(String runId, Journal journal, String workdir, String cgroupRoot, String tracefs,
                         String traceInstance) {

    public static HostLayout of(String runId, String hostWorkdir, String memoryCgroupRoot, String tracefs) {
        return new HostLayout(runId, Journal.forRun(runId), hostWorkdir + "/" + runId,
                memoryCgroupRoot + "/lab-" + runId, tracefs, tracefs + "/instances/lab-" + runId);
    }

    /** An iteration's folder on the host. */
    public String iterationDir(String relative) {
        return workdir + "/" + relative;
    }

    public String cgroup(String planPath) {
        return cgroupRoot + "/" + planPath;
    }
}
