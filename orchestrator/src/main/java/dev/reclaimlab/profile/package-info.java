/**
 * Where the CPUs go: kernel call stacks sampled on a host (by lab's own sampler, {@code profile/lab-sampler.c}),
 * named from the same boot's {@code /proc/kallsyms}, folded into collapsed stacks (the format FlameGraph,
 * speedscope and inferno read) and counted as shares of all samples and of system time.
 */
package dev.reclaimlab.profile;
