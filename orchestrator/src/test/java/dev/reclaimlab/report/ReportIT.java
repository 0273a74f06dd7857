package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.Browser;
import dev.reclaimlab.testing.Playbooks;
import dev.reclaimlab.testing.Prerequisites;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.maven.plugin.surefire.log.api.NullConsoleLogger;
import org.apache.maven.plugins.surefire.report.ReportTestSuite;
import org.apache.maven.plugins.surefire.report.TestSuiteXmlParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reports from real run data collected here: the swappiness playbook with five repeats per variant, then
 * {@code lab report} and {@code lab compare}; checked as data (schema, JUnit reader) and in a real browser.
 * Five, not three: a rank test cannot reach p < 0.05 with three repeats a side; on this machine ANON shrink_inactive
 * events at swappiness 100 range from about 10 to 650 between repeats, always above the all-zero swappiness 0 side.
 */
class ReportIT {
    static Path runs;
    static Path run;

    @BeforeAll
    static void collectFiveRepeatsOfTheSwappinessPlaybook() throws Exception {
        Prerequisites.requireRootWithMemoryCgroups();
        runs = Files.createTempDirectory("lab-report-it");
        int exit = LabCommand.execute("run", Playbooks.swappiness().toString(),
                "--repeat", "5", "--runs", runs.toString());
        assertEquals(0, exit, "lab run --repeat 5");
        try (Stream<Path> dirs = Files.list(runs)) {
            run = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void theRunIsInTheResultsDatabaseWithTheFiguresOfItsTraces() throws Exception {
        String runId = dev.reclaimlab.artifacts.RunDirectory.open(run).manifest().runId();
        String url = dev.reclaimlab.history.ResultsDatabase.defaultUrl(dev.reclaimlab.local.LabHome.fromEnvironment());
        try (var db = dev.reclaimlab.history.ResultsDatabase.open(url, java.util.Map.of())) {
            var runs = new dev.reclaimlab.history.Runs(db);
            var indexed = runs.find(runId).orElseThrow(() -> new AssertionError("lab run did not index " + runId));
            assertEquals(10, indexed.iterations());
            assertEquals("run", indexed.origin());
            var iterations = runs.iterations(java.util.List.of(runId), null, "swappiness=100",
                    java.util.List.of("lru_shrink_inactive.anon_events"));
            assertEquals(5, iterations.size());
            for (var it : iterations) {
                JsonNode metrics = Json.mapper().readTree(run.resolve(it.dir()).resolve("metrics.json").toFile());
                assertEquals(metrics.get("lru_shrink_inactive").get("anon_events").asDouble(),
                        it.values().get("lru_shrink_inactive.anon_events"), it.toString());
            }
        }
    }

    @Test
    void anonReclaimDiffersSignificantlyBetweenSwappinessVariants() throws Exception {
        int exit = LabCommand.execute("report", run.toString(), "--check");

        assertEquals(0, exit, "the playbook's storm condition holds on both variants");
        JsonNode summary = Json.mapper().readTree(run.resolve("summary.json").toFile());
        JsonNode section = summary.get("sections").get(0);
        assertEquals("swappiness=100", section.get("sides").get(0).get("label").asText());
        assertEquals(5, section.get("sides").get(1).get("repeats").asInt());
        JsonNode anon = metric(section, "lru_shrink_inactive.anon_events");
        assertTrue(anon.get("sides").get(0).get("mean").asDouble() > 0, anon.toString());
        assertEquals(0.0, anon.get("sides").get(1).get("mean").asDouble(), anon.toString());
        JsonNode change = anon.get("changes").get(1);
        assertTrue(change.get("judged").asBoolean() && change.get("significant").asBoolean(), change.toString());
        assertEquals(-100.0, change.get("percent").asDouble(), 1e-9);
        assertTrue(change.get("p_value").asDouble() < 0.05, change.toString());
    }

    @Test
    void summaryValidatesAgainstItsSchemaAndJunitXmlIsReadByAJunitReader() throws Exception {
        Path out = runs.resolve("checked-report");
        LabCommand.execute("compare", run.toString(), "--by", "variant", "--out", out.toString());

        JsonSchema schema;
        try (InputStream in = ReportIT.class.getResourceAsStream("/schema/summary.schema.json")) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
        Set<ValidationMessage> problems = schema.validate(Json.mapper().readTree(out.resolve("summary.json").toFile()));
        assertEquals(Set.of(), problems);

        List<ReportTestSuite> suites = new TestSuiteXmlParser(new NullConsoleLogger())
                .parse(out.resolve("junit.xml").toString());
        assertEquals(1, suites.size());
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(summary.get("verdict").get("criteria").asInt(), suites.get(0).getNumberOfTests(),
                "one test case per verdict criterion and side");
        assertEquals(summary.get("verdict").get("failed").asInt(), suites.get(0).getNumberOfFailures());
        assertTrue(suites.get(0).getNumberOfTests() >= 2);
    }

    @Test
    void theReportOpensInChromiumWithChartsDrawnAndNoErrors() throws Exception {
        LabCommand.execute("report", run.toString());
        Path screenshot = Prerequisites.repoRoot().resolve("orchestrator/target/report-screenshots/swappiness-report.png");

        Browser.Visit visit;
        try (Browser browser = new Browser()) {
            visit = browser.open(run.resolve("report.html"), screenshot);
        }

        assertEquals(List.of(), visit.consoleErrors());
        assertTrue(visit.charts() >= 5, "charts on the page: " + visit.charts());
        assertEquals(0, visit.emptyCharts(), "charts without marks");
        assertTrue(Files.size(screenshot) > 10_000, "a screenshot was saved");
        assertTrue(Files.size(run.resolve("report.html")) < 5_000_000, "report stays small");
    }

    @Test
    void compareByRunPutsTheBaselineFirst() throws Exception {
        Path out = runs.resolve("by-run");
        int exit = LabCommand.execute("compare", run.toString(), run.toString(), "--out", out.toString());

        assertEquals(0, exit);
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("run", summary.get("by").asText());
        assertEquals(2, summary.get("sections").size(), "one section per variant");
        JsonNode anon = metric(summary.get("sections").get(0), "lru_shrink_inactive.anon_events");
        assertEquals(0.0, anon.get("changes").get(1).get("percent").asDouble(), "a run against itself does not change");
    }

    private static JsonNode metric(JsonNode section, String path) {
        for (JsonNode metric : section.get("metrics")) {
            if (metric.get("path").asText().equals(path)) {
                return metric;
            }
        }
        throw new AssertionError("no metric " + path + " in the summary");
    }
}
