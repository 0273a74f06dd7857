package dev.reclaimlab.host;

/** How a host mounts cgroups, as systemd names it. */
public enum CgroupMode {
    /** only v1 hierarchies */
    LEGACY,
    /** v1 hierarchies (memory among them) plus a v2 mount without the memory controller */
    HYBRID,
    /** one v2 hierarchy */
    UNIFIED,
    /** no cgroup mounts at all */
    NONE
}
