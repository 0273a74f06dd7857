package dev.reclaimlab.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verdict section: what "storm reproduced" and "regression" mean for a plan. */
class VerdictLoadingTest {

    @Test
    void conditionsKeepTheirOrderUnitsAndLocations(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("v.yaml"), String.join("\n",
                "name: v",
                "workloads: [{name: w, shell: x}]",
                "verdict:",
                "  noise: 2.5%",
                "  storm:",
                "    - {metric: memcg_reclaim.count, above: 500}",
                "    - {metric: memcg_reclaim.latency_us.p99, below: \"2e9\"}",
                "  regression:",
                "    - {metric: memcg_reclaim.latency_us.p99, increase: 20%}",
                "    - {metric: lru_shrink_inactive.reclaim_efficiency, decrease: 10}",
                ""));
        var error = assertThrows(dev.reclaimlab.yaml.ConfigException.class, () -> PlanLoader.load(file));
        assertTrue(error.getMessage().matches(".*v\\.yaml:7:\\d+: below: expected a number like 1000 or 2\\.5, got \"2e9\""),
                error.getMessage());
        Files.writeString(file, Files.readString(file).replace("below: \"2e9\"", "below: 2000000"));

        VerdictSpec verdict = PlanLoader.load(file).resolved().get(0).verdict();

        assertEquals(2.5, verdict.noisePercent());
        assertEquals(List.of("memcg_reclaim.count > 500", "memcg_reclaim.latency_us.p99 < 2000000"),
                verdict.storm().stream().map(Object::toString).toList());
        assertEquals(List.of("memcg_reclaim.latency_us.p99 +20% or more", "lru_shrink_inactive.reclaim_efficiency -10% or more"),
                verdict.regression().stream().map(Object::toString).toList());
        assertEquals(9, verdict.regression().get(0).at().line());
    }

    @Test
    void withoutAVerdictNothingIsJudged(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("n.yaml"), "name: n\nworkloads: [{name: w, shell: x}]\n");

        VerdictSpec verdict = PlanLoader.load(file).resolved().get(0).verdict();

        assertEquals(List.of(), verdict.storm());
        assertEquals(VerdictSpec.DEFAULT_NOISE_PERCENT, verdict.noisePercent());
    }
}
