package dev.reclaimlab.profile;

/**
 * One sample of lab's sampler: the task a CPU ran at that moment and, in the kernel, the call chain.
 *
 * @param pid   the process, or -1 when the task was being torn down (its pid already gone)
 * @param chain kernel addresses, leaf first (the interrupted instruction, then return addresses); empty in user
 *              mode, where lab does not walk stacks
 */
public record Sample(int cpu, int pid, int tid, long timeNs, boolean user, long[] chain, String comm) {
    public Sample {
        chain = chain.clone();
    }

    /** The idle task of a CPU (pid 0), which perf and the kernel call swapper. */
    public boolean idle() {
        return tid == 0;
    }

    @Override
    public long[] chain() {
        return chain.clone();
    }

    /** The address at depth {@code i} (0 = leaf) without copying the chain. */
    long address(int i) {
        return chain[i];
    }

    int depth() {
        return chain.length;
    }
}
