package dev.reclaimlab.report;

import dev.reclaimlab.host.HostFacts;
import java.util.List;

/**
 * One column of a comparison: the repeats that are compared as one (a variant, a run, a kernel).
 *
 * @param facts the host facts of the side's first sample (facts.json); null when the run has none
 */
public record Side(String label, List<Sample> samples, HostFacts facts) {
    public Side {
        samples = List.copyOf(samples);
    }

    /**
     * The kernel the side ran on: the one lab booted for its iterations (a run with a boot section writes facts.json
     * after every boot, so the host's facts name only the last), else the host's.
     */
    public String kernel() {
        if (!samples.isEmpty() && samples.get(0).bootRelease() != null) {
            return samples.get(0).bootRelease();
        }
        return facts == null ? "?" : facts.kernelRelease();
    }
}
