package dev.reclaimlab.plan;

/**
 * Sampled kernel call stacks of every CPU while the workloads run, per iteration ({@code profile:} in a plan).
 *
 * @param frequency samples per second and CPU
 * @param tool      what takes the samples
 */
public record ProfileSpec(int frequency, Tool tool) {
    public static final int DEFAULT_FREQUENCY = 99;
    /** Past this the sampler's own interrupts become the storm (the kernel lowers its rate limit at ~100 kHz total). */
    public static final int MAX_FREQUENCY = 10_000;

    public ProfileSpec(int frequency) {
        this(frequency, Tool.AUTO);
    }

    /** What samples the stacks. */
    public enum Tool {
        /** perf where the host has one that runs for its kernel, else lab's own sampler. */
        AUTO,
        /** lab's own sampler, built on the orchestrator for the host and copied there. */
        LAB,
        /** the host's perf ({@code perf record -a -g}); a host without it cannot run the plan. */
        PERF
    }

    /** Whether perf takes this profile on a host that has perf ({@code hostHasPerf}) or not. */
    public boolean usesPerf(boolean hostHasPerf) {
        return tool == Tool.PERF || tool == Tool.AUTO && hostHasPerf;
    }
}
