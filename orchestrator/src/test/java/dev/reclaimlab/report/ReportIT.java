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
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.By;

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

    /**
     * The charts a person explores: hiding a series by its legend entry removes its marks from the canvas and
     * showing it brings them back, dragging across zooms, hovering shows values, the time series start at the
     * workloads' start, and the headline leads the page.
     */
    @Test
    void theChartsCanBeExploredAndTheHeadlineLeads() throws Exception {
        LabCommand.execute("report", run.toString());
        try (Browser browser = new Browser()) {
            browser.open(run.resolve("report.html"), Prerequisites.repoRoot()
                    .resolve("orchestrator/target/report-screenshots/swappiness-explore.png"));
            WebDriver page = browser.driver();
            assertEquals("headline-0", page.findElements(By.cssSelector("h2, div.headline")).get(0)
                    .findElement(By.xpath("./ancestor-or-self::div[@class='headline']")).getAttribute("id"),
                    "the headline comes before every other section");
            WebElement cdf = page.findElement(By.cssSelector("div.uchart"));
            assertTrue(cdf.getAttribute("data-chart").contains("memcg reclaim latency"));

            long before = browser.seriesPixels(cdf, 1);
            WebElement second = cdf.findElements(By.cssSelector(".u-legend .u-series")).get(2);
            second.click();
            long hidden = browser.seriesPixels(cdf, 1);
            second.click();
            long shown = browser.seriesPixels(cdf, 1);
            assertTrue(before > 0, "the second side is drawn");
            assertEquals(0, hidden, "hiding the second side removes its marks");
            assertEquals(before, shown, "showing it again draws them again");

            JavascriptExecutor js = (JavascriptExecutor) page;
            WebElement over = cdf.findElement(By.cssSelector(".u-over"));
            double span = ((Number) js.executeScript("var x = arguments[0].uplot.scales.x; return x.max - x.min;",
                    cdf)).doubleValue();
            new Actions(page).moveToElement(over, -over.getSize().getWidth() / 4, 0).clickAndHold()
                    .moveByOffset(over.getSize().getWidth() / 3, 0).release().perform();
            double zoomed = ((Number) js.executeScript("var x = arguments[0].uplot.scales.x; return x.max - x.min;",
                    cdf)).doubleValue();
            assertTrue(zoomed < span, "dragging across zooms in: " + span + " -> " + zoomed);
            new Actions(page).moveToElement(over, 10, 0).perform();
            String value = cdf.findElements(By.cssSelector(".u-legend .u-series .u-value")).get(1).getText();
            assertTrue(value.matches("[0-9.,]+"), "hovering shows the value under the cursor: " + value);

            List<String> timeSeries = page.findElements(By.cssSelector("div.uchart")).stream()
                    .map(e -> e.getAttribute("data-chart")).filter(c -> c.contains("loadavg 1m")).toList();
            assertEquals(1, timeSeries.size());
            assertTrue(timeSeries.get(0).contains("seconds since the workloads started"), timeSeries.get(0));
            assertEquals(List.of(), browser.consoleErrors());
        }
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
