package dev.reclaimlab.plan;

/**
 * Sampled kernel call stacks of every CPU while the workloads run, per iteration ({@code profile:} in a plan).
 *
 * @param frequency samples per second and CPU
 */
public record ProfileSpec(int frequency) {
    public static final int DEFAULT_FREQUENCY = 99;
    /** Past this the sampler's own interrupts become the storm (the kernel lowers its rate limit at ~100 kHz total). */
    public static final int MAX_FREQUENCY = 10_000;
}
