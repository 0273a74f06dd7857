package dev.reclaimlab.report;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.profile.FoldedStacks;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The flame graphs of a comparison whose iterations were profiled: one per side (the collapsed stacks of all its
 * repeats together), and for each other side a differential graph against the first (the baseline).
 */
final class ProfileGraphs {
    private ProfileGraphs() {}

    static List<String> of(Comparison comparison) throws IOException {
        List<Side> sides = comparison.sides();
        List<Optional<FoldedStacks>> stacks = new ArrayList<>();
        for (Side side : sides) {
            stacks.add(stacks(side));
        }
        List<String> graphs = new ArrayList<>();
        Optional<FoldedStacks> baseline = stacks.isEmpty() ? Optional.empty() : stacks.get(0);
        for (int i = 0; i < sides.size(); i++) {
            Optional<FoldedStacks> side = stacks.get(i);
            if (side.isEmpty()) {
                continue;
            }
            String label = sides.get(i).label();
            graphs.add(FlameGraph.svg(label + ": " + String.format("%,d", side.get().total()) + " samples by "
                    + samplers(sides.get(i)), side.get()));
            if (i > 0 && baseline.isPresent()) {
                graphs.add(FlameGraph.svg(label + " against " + sides.get(0).label() + " (red: a larger share, blue: "
                        + "a smaller one)", side.get(), baseline));
            }
        }
        return graphs;
    }

    /** What took the side's profiles, as their metrics.json say (lab-sampler, perf). */
    private static String samplers(Side side) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Sample sample : side.samples()) {
            if (sample.metrics() != null && sample.metrics().path("profile").path("sampler").isTextual()) {
                names.add(sample.metrics().path("profile").path("sampler").asText());
            }
        }
        return names.isEmpty() ? "an unnamed sampler" : String.join(" and ", names);
    }

    /** The collapsed stacks of every repeat of the side that has them, added up; empty when none was profiled. */
    static Optional<FoldedStacks> stacks(Side side) throws IOException {
        FoldedStacks all = new FoldedStacks();
        boolean any = false;
        long[] malformed = {0};
        for (Sample sample : side.samples()) {
            Path folded = sample.dir().resolve(RunLayout.PROFILE_FOLDED);
            if (!Files.isRegularFile(folded)) {
                continue;
            }
            any = true;
            try (BufferedReader in = Files.newBufferedReader(folded, StandardCharsets.ISO_8859_1)) {
                FoldedStacks.read(in, malformed).entries().forEach(e -> all.add(e.getKey(), e.getValue()));
            }
        }
        return any ? Optional.of(all) : Optional.empty();
    }
}
