package dev.reclaimlab.trace;

import dev.reclaimlab.plan.TracingSpec;
import dev.reclaimlab.units.Size;

/**
 * The per-CPU ring buffer of the lab's tracefs instance, and why it has that size.
 *
 * <p>With a reader per CPU draining the buffer as it fills, the buffer only has to hold what arrives while a reader
 * waits for the CPU, which in a storm can be a second or more. It is kernel memory the workloads cannot use, so
 * lab takes a small share of the host's memory: 1/64 of it over all CPUs, from 4 MiB to 32 MiB per CPU (8 MiB on a
 * 1 GiB, 2-CPU VM).
 *
 * @param reason how the size was chosen, for the run log
 */
public record TraceBuffer(Size perCpu, String reason) {
    static final long SMALLEST = 4L << 20;
    static final long LARGEST = 32L << 20;
    static final int MEMORY_SHARE = 64;

    public static TraceBuffer choose(TracingSpec spec, long memTotalBytes, int cpus) {
        if (spec.bufferPerCpu().isPresent()) {
            return new TraceBuffer(spec.bufferPerCpu().get(), "as the plan asks");
        }
        if (memTotalBytes <= 0 || cpus <= 0) {
            return new TraceBuffer(new Size(SMALLEST), "the host's memory is unknown");
        }
        long share = memTotalBytes / MEMORY_SHARE / cpus;
        long chosen = Math.max(SMALLEST, Math.min(LARGEST, share)) & ~0xFFFL; // whole 4 KiB pages
        return new TraceBuffer(new Size(chosen), "1/" + MEMORY_SHARE + " of " + (memTotalBytes >> 20) + " MiB over "
                + cpus + " CPUs, within " + new Size(SMALLEST) + "-" + new Size(LARGEST));
    }
}
