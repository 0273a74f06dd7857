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

    public String kernel() {
        return facts == null ? "?" : facts.kernelRelease();
    }
}
