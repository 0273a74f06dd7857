package dev.reclaimlab.plan;

import dev.reclaimlab.units.Size;
import java.util.List;

/** Tracepoints to record while the workloads run, and the per-CPU ring buffer size of the lab's tracefs instance. */
public record TracingSpec(List<TraceEvent> events, Size bufferPerCpu) {
    public TracingSpec {
        events = List.copyOf(events);
    }
}
