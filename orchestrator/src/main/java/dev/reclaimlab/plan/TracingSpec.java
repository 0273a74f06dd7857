package dev.reclaimlab.plan;

import dev.reclaimlab.units.Size;
import java.util.List;
import java.util.Optional;

/**
 * Tracepoints to record while the workloads run, how, and the per-CPU ring buffer size of the lab's tracefs instance.
 *
 * @param bufferPerCpu as the plan asks; absent: chosen from the host's memory and CPUs
 */
public record TracingSpec(List<TraceEvent> events, Capture capture, Optional<Size> bufferPerCpu) {
    public TracingSpec {
        events = List.copyOf(events);
    }

    /** How the ring buffer is read on the host. */
    public enum Capture {
        /** Each CPU's pages in binary ({@code trace_pipe_raw}); text where the host has no such file. */
        BINARY,
        /** One reader of {@code trace_pipe}, the kernel formatting every event: loses events in a storm. */
        TEXT
    }
}
