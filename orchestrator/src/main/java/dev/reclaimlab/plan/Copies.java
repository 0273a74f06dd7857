package dev.reclaimlab.plan;

/** How many instances of a workload run at once. */
public sealed interface Copies {
    /** One copy in each fan-out child of the workload's cgroup. */
    record PerChild() implements Copies {}

    /** N copies side by side in the workload's cgroup. */
    record Count(int n) implements Copies {}
}
