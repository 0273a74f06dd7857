package dev.reclaimlab.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.reclaimlab.bisect.Criterion;
import dev.reclaimlab.history.HostLeases;
import dev.reclaimlab.history.IndexedRun;
import dev.reclaimlab.history.Regression;
import dev.reclaimlab.history.Regressions;
import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.history.Runs;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.plan.VerdictSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Nights of the real swappiness run, doctored ({@link Nights}), through a real SQLite results database and a webhook
 * served by WireMock: baseline, no change, a regression confirmed by its re-run and told once, still there and not
 * told again, fixed and told once; a fluke the re-run does not show; a busy host; a night that measured nothing.
 */
class NightlyJobTest {
    @RegisterExtension
    static WireMockExtension hook = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final Criterion EVENTS = new Criterion("events", true, 20);
    static final byte[] SECRET = "night-secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    ResultsDatabase db;
    Nights nights;
    List<String> log = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        db = ResultsDatabase.open("jdbc:sqlite:" + dir.resolve("results.db"), Map.of());
        nights = new Nights(dir.resolve("runs"));
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
    }

    @AfterEach
    void close() throws IOException {
        db.close();
    }

    NightlyJob.Result night(double... factors) throws Exception {
        nights.next(factors);
        Webhook webhook = new Webhook(URI.create(hook.baseUrl() + "/hook"), SECRET, 4, Duration.ofMillis(20));
        return new NightlyJob(db, List.of(EVENTS), VerdictSpec.none(), new NightlyJob.Settings("local", 5, 3, "test job"),
                nights, webhook, (night, baseline) -> night.dir() + "/nightly/report.html", log::add,
                Clock.fixed(Instant.parse("2026-12-03T01:00:00Z"), ZoneOffset.UTC)).run();
    }

    List<JsonNode> told() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (LoggedRequest r : hook.findAll(postRequestedFor(urlEqualTo("/hook")))) {
            out.add(Json.mapper().readTree(r.getBodyAsString()));
        }
        return out;
    }

    @Test
    void fiveNightsFromBaselineToFixed() throws Exception {
        NightlyJob.Result first = night(1);
        assertEquals("baseline", first.status());
        assertTrue(first.accepted());

        NightlyJob.Result second = night(1.02);
        assertEquals("good", second.status(), second.judgements().toString());
        assertTrue(second.accepted(), "a good night joins the baseline");
        assertEquals(0, told().size());

        nights.kernel("6.1.0-57-arm64");
        NightlyJob.Result third = night(2, 2.1);
        assertEquals("regressed", third.status());
        assertEquals(2, nights.made() - 2, "the regression was re-run before anyone was told");
        assertFalse(third.accepted(), "a regressed night never joins the baseline by itself");
        assertEquals(2, third.changes().size(), "both variants' events regressed and were confirmed: " + third.changes());
        assertTrue(third.changes().stream().allMatch(r -> r.state().equals(Regression.CONFIRMED)));
        List<JsonNode> told = told();
        assertEquals(2, told.size(), "one message per confirmed regression");
        JsonNode notice = told.get(0);
        assertEquals("regression", notice.get("event").asText());
        assertEquals("local", notice.get("host").asText());
        assertEquals("events", notice.get("metric").asText());
        assertEquals("6.1.0-57-arm64", notice.get("kernel").asText());
        assertEquals("6.1.0-56-arm64", notice.get("last_good_kernel").asText());
        assertTrue(notice.get("change_percent").asDouble() > 90, notice.toString());
        assertTrue(notice.get("p").asDouble() < 0.05, notice.toString());
        assertTrue(notice.get("text").asText().startsWith("Regression in swappiness on local"), notice.toString());
        assertTrue(notice.get("report").asText().endsWith("/nightly/report.html"));
        LoggedRequest request = hook.findAll(postRequestedFor(urlEqualTo("/hook"))).get(0);
        assertEquals("sha256=" + Webhook.sign(SECRET, request.getBody()), request.getHeader(Webhook.SIGNATURE_HEADER),
                "signed over the exact body");
        String junit = NightlyOutput.junit("swappiness", "local", third);
        assertTrue(junit.contains("failures=\"2\"") && junit.contains("errors=\"0\""), junit);

        NightlyJob.Result fourth = night(2.05);
        assertEquals("regressed", fourth.status());
        assertEquals(2, told().size(), "still regressed: nobody is told again");
        assertTrue(fourth.changes().stream().allMatch(r -> r.state().equals(Regression.ACTIVE)), fourth.changes().toString());

        nights.kernel("6.1.0-58-arm64");
        NightlyJob.Result fifth = night(1);
        assertEquals("good", fifth.status(), fifth.judgements().toString());
        List<JsonNode> all = told();
        assertEquals(4, all.size(), "one closing message per regression");
        assertEquals("fixed", all.get(3).get("event").asText());
        assertTrue(fifth.accepted());
        assertTrue(fifth.open().isEmpty());
        Runs runs = new Runs(db);
        List<IndexedRun> indexed = runs.ofPlan("swappiness", null, "local");
        assertEquals(6, indexed.size(), "five nights and one re-run are in the database");
        assertEquals(3, indexed.stream().filter(r -> IndexedRun.ACCEPTED.equals(r.baseline())).count());
        List<Regression> tracked = new Regressions(db).ofPlan("swappiness", "local");
        assertEquals(2, tracked.size());
        assertTrue(tracked.stream().allMatch(r -> r.state().equals(Regression.CLOSED) && r.closedAt() != null));
    }

    @Test
    void aRegressionTheReRunDoesNotShowIsNeverTold() throws Exception {
        night(1);
        night(1);
        NightlyJob.Result fluke = night(2, 1);
        assertEquals(0, told().size());
        assertEquals("unknown", fluke.status(), "the night looked regressed once: not good, not told");
        assertTrue(fluke.changes().stream().allMatch(r -> r.state().equals(Regression.UNCONFIRMED)), fluke.changes().toString());
        assertTrue(fluke.open().isEmpty());
        assertFalse(fluke.accepted());
    }

    @Test
    void aWebhookIsRetriedAfter500sAndNotAfter4xx() throws Exception {
        hook.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("once"));
        hook.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(503)).willSetStateTo("twice"));
        hook.stubFor(post(urlEqualTo("/flaky")).inScenario("flaky").whenScenarioStateIs("twice")
                .willReturn(aResponse().withStatus(204)));
        Webhook.Delivery d = new Webhook(URI.create(hook.baseUrl() + "/flaky"), null, 5, Duration.ofMillis(10))
                .send("regression", "{}");
        assertTrue(d.delivered(), d.toString());
        assertEquals(3, d.attempts());
        assertEquals(3, hook.findAll(postRequestedFor(urlEqualTo("/flaky"))).size());
        assertNull(hook.findAll(postRequestedFor(urlEqualTo("/flaky"))).get(0).getHeader(Webhook.SIGNATURE_HEADER),
                "no secret, no signature");

        hook.stubFor(post(urlEqualTo("/gone")).willReturn(aResponse().withStatus(404).withBody("no such hook")));
        Webhook.Delivery refused = new Webhook(URI.create(hook.baseUrl() + "/gone"), null, 5, Duration.ofMillis(10))
                .send("regression", "{}");
        assertFalse(refused.delivered());
        assertEquals(1, refused.attempts(), "a 404 is final");
        assertTrue(refused.error().contains("404") && refused.error().contains("no such hook"), refused.error());

        hook.stubFor(post(urlEqualTo("/down")).willReturn(aResponse().withStatus(500)));
        Webhook.Delivery down = new Webhook(URI.create(hook.baseUrl() + "/down"), null, 3, Duration.ofMillis(10))
                .send("fixed", "{}");
        assertFalse(down.delivered());
        assertEquals(3, hook.findAll(postRequestedFor(urlEqualTo("/down"))).size());
        assertTrue(down.error().contains("after 3 attempts"), down.error());
    }

    @Test
    void aWebhookThatNeverAnswersIsAnErrorInJunitAndStaysRecorded() throws Exception {
        night(1);
        night(1);
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(500)));
        NightlyJob.Result r = night(2, 2);
        assertEquals("regressed", r.status());
        assertTrue(r.sent().stream().noneMatch(dev.reclaimlab.history.Notifications.Sent::delivered));
        String junit = NightlyOutput.junit("swappiness", "local", r);
        assertTrue(junit.contains("errors=\"2\"") && junit.contains("type=\"notification\""), junit);
        List<dev.reclaimlab.history.Notifications.Sent> recorded =
                new dev.reclaimlab.history.Notifications(db).of(r.changes().get(0).id());
        assertEquals(1, recorded.size());
        assertEquals(500, recorded.get(0).httpStatus());
        assertTrue(recorded.get(0).error().contains("after 4 attempts"), recorded.toString());
    }

    @Test
    void aSecondJobOnTheHostIsRefusedByTheLease() throws Exception {
        new HostLeases(db).take("local", "someone else's job", Instant.parse("2026-12-03T00:59:00Z"));
        NightlyJob.Result r = night(1);
        assertEquals("busy", r.status());
        assertTrue(r.error().contains("someone else's job"), r.error());
        assertEquals(0, nights.made(), "nothing ran");
    }

    @Test
    void aNightThatMeasuredNothingIsAnErrorAndJoinsNoBaseline() throws Exception {
        nights.failing(new IOException("host arm01 unreachable"));
        NightlyJob.Result r = night(1);
        assertEquals("error", r.status());
        String junit = NightlyOutput.junit("swappiness", "local", r);
        assertTrue(junit.contains("errors=\"1\"") && junit.contains("failures=\"0\"") && junit.contains("unreachable"),
                junit);
        Path out = dir.resolve("out");
        NightlyOutput.write(out, "swappiness", "local", r);
        assertEquals("error", Json.mapper().readTree(Files.readString(out.resolve(NightlyOutput.SUMMARY))).get("status")
                .asText());
        assertTrue(new HostLeases(db).take("local", "next", Instant.parse("2026-12-03T01:00:01Z")).isEmpty(),
                "the lease was released");
    }
}
