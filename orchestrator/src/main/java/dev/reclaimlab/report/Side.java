package dev.reclaimlab.report;

import dev.reclaimlab.host.HostFacts;
import java.util.List;
import java.util.Map;

/**
 * One column of a comparison: the repeats that are compared as one (a variant, a run, a kernel).
 *
 * @param label       its name where it is shown: what sets it apart from the other sides (see {@link SideNames})
 * @param description all it is: runs, host, kernel, command line, variant; for hovers and the appendix
 * @param facts       the host facts of the side's first sample (facts.json); null when the run has none
 */
public record Side(String label, String description, List<Sample> samples, HostFacts facts) {
    public Side {
        samples = List.copyOf(samples);
    }

    /** The same side under another name. */
    public Side named(String newLabel, String newDescription) {
        return new Side(newLabel, newDescription, samples, facts);
    }

    /** The kernel command line the side ran with: the one lab booted, else the host's. */
    public String cmdline() {
        if (!samples.isEmpty() && samples.get(0).bootCmdline() != null) {
            return samples.get(0).bootCmdline();
        }
        return facts == null ? "" : facts.cmdline();
    }

    /** The repeats that measured something: not those whose kernel could not be booted, crashed or hung. */
    public int measured() {
        return (int) samples.stream().filter(s -> s.status().collected()).count();
    }

    /** The repeats that produced no figures: untestable, crashed, hung, failed or interrupted. */
    public String unmeasured() {
        Map<String, Long> byStatus = new java.util.TreeMap<>();
        samples.stream().filter(s -> !s.status().collected())
                .forEach(s -> byStatus.merge(s.status().word(), 1L, Long::sum));
        return byStatus.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .collect(java.util.stream.Collectors.joining(", "));
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
