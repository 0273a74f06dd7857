package dev.reclaimlab.report;

import dev.reclaimlab.host.HostFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** How samples become sides. */
public enum Grouping {
    /** One side per variant (per host and variant when a run has several hosts). */
    VARIANT,
    /** One side per run (per variant, each variant its own section). */
    RUN;

    /** The sections of a report: one for VARIANT; one per variant label for RUN. */
    public List<List<Side>> sections(List<RunData> runs) {
        if (this == VARIANT) {
            boolean manyHosts = runs.stream().flatMap(r -> r.samples().stream()).map(Sample::host).distinct().count() > 1;
            boolean manyRuns = runs.size() > 1;
            return List.of(SideNames.name(sides(runs, s -> (manyRuns ? s.runId() + " " : "")
                    + (manyHosts ? s.host() + " " : "") + s.variantLabel())));
        }
        Map<String, List<RunData>> byVariant = new LinkedHashMap<>();
        for (RunData run : runs) {
            run.samples().forEach(s -> byVariant.computeIfAbsent(s.variantLabel(), v -> new ArrayList<>()));
        }
        List<List<Side>> sections = new ArrayList<>();
        for (String variant : byVariant.keySet()) {
            List<Side> sides = new ArrayList<>();
            for (RunData run : runs) {
                List<Sample> samples = run.samples().stream().filter(s -> s.variantLabel().equals(variant)).toList();
                if (!samples.isEmpty()) {
                    HostFacts facts = run.facts().get(samples.get(0).host());
                    sides.add(new Side(run.runId(), run.runId(), samples, facts));
                }
            }
            sections.add(SideNames.name(sides));
        }
        return sections;
    }

    private static List<Side> sides(List<RunData> runs, Function<Sample, String> key) {
        Map<String, List<Sample>> groups = new LinkedHashMap<>();
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        for (RunData run : runs) {
            for (Sample sample : run.samples()) {
                String label = key.apply(sample);
                groups.computeIfAbsent(label, k -> new ArrayList<>()).add(sample);
                facts.putIfAbsent(label, run.facts().get(sample.host()));
            }
        }
        List<Side> sides = new ArrayList<>();
        groups.forEach((label, samples) -> sides.add(new Side(label, label, samples, facts.get(label))));
        return sides;
    }
}
