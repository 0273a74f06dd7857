package dev.reclaimlab.step;

/**
 * Where one run puts things on one host. Every name carries the run id, so two runs never share anything and
 * whatever a crashed run left is recognisable.
 *
 * @param base           the host's work directory base, e.g. {@code /var/tmp/lab} (on disk, not tmpfs)
 * @param workdir        {@code <base>/<run-id>}: the run's folder: swap file, traces, workload files
 * @param journal        {@code <workdir>/journal}: undo entries, proofs, saved values, the helper library
 * @param cgroupRoot     {@code <memory cgroup root>/lab-<run-id>}: parent of every plan cgroup
 * @param traceInstance  {@code <tracefs>/instances/lab-<run-id>}: the lab's own ring buffer
 */
public record HostLayout(String runId, String base, String workdir, Journal journal, String cgroupRoot,
                         String tracefs, String traceInstance) {

    public static HostLayout of(String runId, String base, String memoryCgroupRoot, String tracefs) {
        String workdir = base + "/" + runId;
        return new HostLayout(runId, base, workdir, Journal.of(workdir), memoryCgroupRoot + "/lab-" + runId, tracefs,
                tracefs + "/instances/lab-" + runId);
    }

    /** An iteration's folder on the host. */
    public String iterationDir(String relative) {
        return workdir + "/" + relative;
    }

    public String cgroup(String planPath) {
        return cgroupRoot + "/" + planPath;
    }
}
