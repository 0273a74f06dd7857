package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Location;

/** A tracepoint by subsystem and name, written {@code vmscan:mm_vmscan_memcg_reclaim_begin} in plans. */
public record TraceEvent(String system, String name, Location at) {
    @Override
    public String toString() {
        return system + ":" + name;
    }
}
