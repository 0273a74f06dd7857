package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.artifacts.IterationStatus;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.plan.VerdictSpec;
import dev.reclaimlab.testing.Fixtures;
import dev.reclaimlab.testing.JsonSchemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.statistics.inference.TTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reports from a checked-in run directory (see src/test/resources/runs/swappiness-5x2/README.md): what a report
 * reads, compares and writes, in milliseconds instead of a real run's minute. ReportIT does the same on fresh runs.
 */
class FixtureReportTest {
    private static final Path RUN = Fixtures.swappinessRun();

    @Test
    void theRunIsReadThroughItsManifest() throws Exception {
        RunData run = RunData.load(RUN);

        assertEquals("swappiness", run.plan());
        assertEquals(10, run.samples().size());
        assertEquals(Set.of("local"), run.facts().keySet());
        assertEquals(1, run.facts().get("local").memoryCgroupVersion());
        Sample first = run.samples().get(0);
        assertEquals(Map.of("swappiness", "100"), first.variant());
        assertEquals(IterationStatus.OK, first.status());
        assertEquals(11.0, first.values().get("lru_shrink_inactive.anon_events"));
        assertTrue(first.values().containsKey("monitors.loadavg.load1_max"), first.values().keySet().toString());
        assertEquals(0.0, first.values().get("lost_events_ring_buffer"));
    }

    /**
     * ANON events 11, 11, 457, 502, 516 against five zeros: every repeat of one side above every repeat of the other.
     * Welch's t-test misses it (p = 0.064: the values are far from normal); the rank test does not.
     */
    @Test
    void aBimodalSpreadIsSignificantByRanksWhereWelchMissesIt() throws Exception {
        RunData run = RunData.load(RUN);
        List<Side> sides = Grouping.VARIANT.sections(List.of(run)).get(0);
        Comparison comparison = Comparison.of(sides, VerdictSpec.DEFAULT_NOISE_PERCENT);

        assertEquals(List.of("swappiness=100", "swappiness=0"), sides.stream().map(Side::label).toList());
        MetricRow anon = comparison.row("lru_shrink_inactive.anon_events").orElseThrow();
        assertEquals(List.of(11.0, 11.0, 457.0, 502.0, 516.0), anon.sides().get(0).values());
        assertEquals(299.4, anon.sides().get(0).mean(), 1e-9);
        Change change = anon.changes().get(1);
        assertEquals(-100.0, change.percent(), 1e-9);
        assertTrue(change.judged() && change.significant(), change.toString());
        assertEquals(0.0073, change.pValue(), 0.0005, "Mann–Whitney, ties corrected");
        double welch = TTest.withDefaults().test(new double[] {11, 11, 457, 502, 516}, new double[5]).getPValue();
        assertTrue(welch > Change.ALPHA, "Welch's p " + welch);

        MetricRow reclaims = comparison.row("memcg_reclaim.count").orElseThrow();
        assertFalse(reclaims.anySignificant(), "477 memcg reclaims on both sides: no change");
    }

    @Test
    void theReportFilesAreWrittenAndValidate(@TempDir Path out) throws Exception {
        CompareReport.Written written = CompareReport.write(List.of(RUN), Grouping.VARIANT, out);

        JsonNode summary = Json.mapper().readTree(written.summary().toFile());
        assertEquals(Set.of(), JsonSchemas.validate("summary", summary));
        assertEquals("variant", summary.get("by").asText());
        assertEquals(written.criteria(), summary.get("verdict").get("criteria").asInt());
        String html = Files.readString(written.report());
        assertTrue(html.contains("swappiness=100") && html.contains("swappiness=0"), "both sides in the report");
        assertTrue(html.contains("mkdir -p /run/lab/20261201-202611-c417/undo"),
                "the appendix shows the commands run, from the step log");
        assertTrue(html.contains("hosts/local/swappiness-100/r1/" + RunLayout.TRACE + "\""), "links to the traces");
        assertTrue(Files.readString(written.junit()).contains("<testsuite"));
        assertFalse(Files.exists(RUN.resolve(RunLayout.REPORT)), "reports to --out leave the run directory alone");
    }
}
