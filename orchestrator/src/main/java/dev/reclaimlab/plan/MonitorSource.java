package dev.reclaimlab.plan;

/** What a host monitor samples; each becomes one CSV in the run directory. */
public enum MonitorSource {
    /** /proc/loadavg */
    LOADAVG,
    /** the aggregate cpu line of /proc/stat (user, nice, system, idle, iowait, irq, softirq, steal) */
    CPU,
    /** /proc/pressure/memory, when the kernel has PSI */
    PSI,
    /** every counter of /proc/vmstat */
    VMSTAT,
    /** memory.stat and memory.events (v2) or memory.failcnt (v1) of each plan cgroup */
    MEMCG;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
