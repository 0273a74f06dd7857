package dev.reclaimlab.plan;

/**
 * What a host monitor samples; each becomes one CSV in the run directory, written by lib.sh's lab_monitor with a
 * header row naming its columns.
 */
public enum MonitorSource {
    /** /proc/loadavg */
    LOADAVG(false),
    /** the aggregate cpu line of /proc/stat (user, nice, system, idle, iowait, irq, softirq, steal) */
    CPU(false),
    /** /proc/pressure/memory, when the kernel has PSI */
    PSI(true),
    /** every counter of /proc/vmstat */
    VMSTAT(false),
    /** memory.stat and memory.events (v2) or memory.failcnt (v1) of each plan cgroup */
    MEMCG(false);

    private final boolean kernelMayLack;

    MonitorSource(boolean kernelMayLack) {
        this.kernelMayLack = kernelMayLack;
    }

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Some kernels are built without what it samples; the sampler then skips it and its CSV is not missed. */
    public boolean kernelMayLack() {
        return kernelMayLack;
    }
}
