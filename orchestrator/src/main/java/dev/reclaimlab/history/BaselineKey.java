package dev.reclaimlab.history;

/**
 * What a night is compared with: runs of the same plan file (its hash: the plan's boot command-line words, workloads
 * and limits are all in it) on the same host, variant by variant. The kernel is what a night changes, so it is not
 * part of the key; neither is the host's own default command line, which belongs to the host like its kernel.
 */
public record BaselineKey(String planHash, String host, String variant) {
    @Override
    public String toString() {
        return variant + " on " + host + " (plan " + planHash.substring(0, Math.min(12, planHash.length())) + ")";
    }
}
