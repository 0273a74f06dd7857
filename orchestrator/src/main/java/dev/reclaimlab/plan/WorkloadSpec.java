package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Location;
import java.time.Duration;
import java.util.Optional;

/**
 * A workload: what runs, in which plan cgroup (none = the host's root cgroup), how many copies, and how long it
 * may take before it is killed. All workloads of a plan start together.
 */
public record WorkloadSpec(String name, WorkloadCommand command, Optional<String> cgroup, Copies copies,
                           Duration timeout, Location at) {}
