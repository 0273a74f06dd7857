package dev.reclaimlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.artifacts.IterationStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The answer of a comparison, said first: the case issue 18 was filed on, two kernels at 4 repeats each. */
class HeadlineTest {
    private static Side side(String name, String kernel, Map<String, double[]> values) {
        int repeats = values.values().iterator().next().length;
        List<Sample> samples = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            final int repeat = r;
            Map<String, Double> v = new java.util.LinkedHashMap<>();
            values.forEach((path, series) -> v.put(path, series[repeat]));
            samples.add(new Sample(name, "k61", Map.of(), "", r + 1, IterationStatus.OK, Path.of("."), null, v,
                    kernel, null));
        }
        return new Side(name, name, samples, null);
    }

    private static Comparison kernels() {
        Side old = side("6.1.0-57-arm64", "6.1.0-57-arm64", Map.of(
                "shrink_slab.count", new double[] {14100, 14300, 14400, 14360},
                "memcg_reclaim.count", new double[] {700, 720, 710, 722},
                "memcg_reclaim.latency_us.p99", new double[] {300, 310, 305, 320},
                "lru_shrink_inactive.events", new double[] {900, 1100, 950, 1020}));
        Side newer = side("6.12.117-arm64", "6.12.117-arm64", Map.of(
                "shrink_slab.count", new double[] {450, 460, 440, 466},
                "memcg_reclaim.count", new double[] {440, 450, 445, 445},
                "memcg_reclaim.latency_us.p99", new double[] {370, 380, 376, 386},
                "lru_shrink_inactive.events", new double[] {1000, 940, 1050, 980}));
        return Comparison.of(List.of(old, newer), 5);
    }

    @Test
    void significantChangesComeRankedBySizeInWordsWithTheirFigures() {
        Headline headline = Headline.of(kernels(), List.of(), List.of("lru_shrink_inactive.events"));

        assertEquals(List.of(
                "shrink_slab.count: 14,290 → 454 (−97%), p = 0.029, 4 vs 4 repeats",
                "memcg_reclaim.count: 713 → 445 (−38%), p = 0.029, 4 vs 4 repeats",
                "memcg_reclaim.latency_us.p99: 308.8 → 378 (+22%), p = 0.029, 4 vs 4 repeats"),
                headline.changes().stream().map(Headline.Finding::text).toList());
        assertEquals(List.of("lru_shrink_inactive.events: 992.5 → 992.5 (+0.0%), p = 1, 4 vs 4 repeats: no "
                + "significant change"), headline.unchanged().stream().map(Headline.Finding::text).toList());
        assertEquals("The plan has no verdict: the changes below are what the repeats show.", headline.verdict());
    }

    @Test
    void whenEveryChangeSitsAtTheRankTestsFloorItSaysSoAndWhatMoreRepeatsWouldReach() {
        Headline headline = Headline.of(kernels(), List.of(), List.of());

        assertTrue(headline.changes().stream().allMatch(Headline.Finding::atFloor));
        assertEquals("With 4 vs 4 repeats the smallest p the rank test can give is 0.029, and every significant change"
                + " is there: they are as far apart as these repeats can show, so their p values do not rank them. 6 vs"
                + " 6 repeats would reach 0.0022.", headline.resolution());
        assertEquals(List.of(0.02857, 0.007937, 0.002165, 1.0), List.of(round(Change.smallestP(4, 4)),
                round(Change.smallestP(5, 5)), round(Change.smallestP(6, 6)), Change.smallestP(1, 1)));
    }

    @Test
    void aFailedVerdictLeadsAndTheTerminalLinesFollowTheSameOrder() {
        VerdictResult regression = new VerdictResult("regression", "memcg_reclaim.latency_us.p99 increase > 10%",
                "6.12.117-arm64", true, true, "change +22.4%, p=0.0286 (significant)");
        Headline headline = Headline.of(kernels(), List.of(regression), List.of("memcg_reclaim.latency_us.p99"));

        List<String> lines = headline.lines();
        assertEquals("Verdict: 1 of 1 criteria failed. REGRESSION: memcg_reclaim.latency_us.p99 increase > 10% on "
                + "6.12.117-arm64 (change +22.4%, p=0.0286 (significant)).", lines.get(0));
        assertEquals("Significant changes, largest first:", lines.get(1));
        assertTrue(lines.get(2).startsWith("  shrink_slab.count: 14,290 → 454"), lines.get(2));
        assertTrue(lines.get(lines.size() - 1).startsWith("With 4 vs 4 repeats"), lines.toString());
    }

    private static double round(double p) {
        return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4g", p));
    }
}
