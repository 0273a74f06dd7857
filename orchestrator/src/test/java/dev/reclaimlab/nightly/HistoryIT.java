package dev.reclaimlab.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.bisect.Criterion;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.plan.VerdictSpec;
import dev.reclaimlab.testing.Browser;
import dev.reclaimlab.testing.CapturedStreams;
import dev.reclaimlab.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab history} on five doctored nights of a real run (baseline, no change, regressed twice, fixed) and a real
 * import: the page opened in a real headless Chromium draws a chart per variant with the regressed nights marked and
 * no console errors; --json and --csv carry the same points.
 */
class HistoryIT {
    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();
    @TempDir
    Path dir;

    @Test
    void fiveNightsOnAPageABrowserDraws() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("results.db");
        Nights nights = new Nights(dir.resolve("runs"));
        try (ResultsDatabase db = ResultsDatabase.open(url, Map.of())) {
            for (double[] factors : List.of(new double[] {1}, new double[] {1}, new double[] {2, 2}, new double[] {2},
                    new double[] {1})) {
                nights.next(factors);
                new NightlyJob(db, List.of(new Criterion("events", true, 20)), VerdictSpec.none(),
                        new NightlyJob.Settings("local", 5, 3, "HistoryIT"), nights, null,
                        (night, baseline) -> night.dir(), line -> { },
                        Clock.fixed(Instant.parse("2026-12-03T01:00:00Z"), ZoneOffset.UTC)).run();
            }
        }
        assertEquals(0, LabCommand.execute("history", "import", Fixtures.swappinessRun().toString(), "--db", url),
                streams.stderr());
        assertTrue(streams.stdout().contains("imported 20261201-202611-c417 (swappiness, 10 iterations)"), streams.stdout());

        Path page = dir.resolve("history.html");
        assertEquals(0, LabCommand.execute("history", "swappiness", "--host", "local", "--metric", "events", "--db", url,
                "--out", page.toString()), streams.stderr());
        String html = Files.readString(page);
        assertEquals(2, count(html, "<svg class=\"chart trend\""), "one chart per variant");
        assertEquals(2 * 7, count(html, "<g class=\"point"), "seven runs (five nights, a re-run, the import) per chart");
        assertEquals(2 * 3, count(html, "<g class=\"point regressed"), "the regressed night, its re-run, the next night");
        assertTrue(html.contains("<td class=\"yes\">closed</td>"), "the regressions table says they were fixed");
        assertTrue(html.contains("<a href=\"runs/night-1/swappiness-5x2/report.html\">"),
                "points link their run's report, relative to the page");
        try (Browser browser = new Browser()) {
            Browser.Visit visit = browser.open(page, dir.resolve("history.png"));
            assertEquals(List.of(), visit.consoleErrors());
            assertEquals(2, visit.charts());
            assertEquals(0, visit.emptyCharts(), "every chart has drawn marks");
        }

        streams.reset();
        assertEquals(0, LabCommand.execute("history", "swappiness", "--metric", "events", "--json", "--db", url));
        JsonNode json = Json.mapper().readTree(streams.stdout());
        assertEquals(2, json.get("trends").size());
        assertEquals(7, json.get("trends").get(0).get("points").size());
        assertEquals(2, json.get("regressions").size());
        streams.reset();
        assertEquals(0, LabCommand.execute("history", "swappiness", "--metric", "events", "--csv", "--db", url));
        List<String> rows = streams.stdout().lines().toList();
        assertEquals(1 + 14, rows.size(), streams.stdout());
        assertTrue(rows.get(0).startsWith("metric,host,variant,run_id"), rows.get(0));
        assertEquals(6, rows.stream().filter(r -> r.contains(",confirmed,") || r.contains(",active,")
                || r.contains(",closed,")).count(), "the regressed runs are marked in the CSV too");
    }

    @Test
    void badInputIsNamed() {
        assertEquals(2, LabCommand.execute("history", "import", dir.resolve("nothing-here").toString(), "--db",
                "jdbc:sqlite:" + dir.resolve("r.db")));
        assertTrue(streams.stderr().contains("nothing-here"), streams.stderr());
        assertEquals(1, LabCommand.execute("history", "x", "--db", "jdbc:mysql://h/db"));
        assertTrue(streams.stderr().contains("jdbc:sqlite:FILE"), streams.stderr());
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
