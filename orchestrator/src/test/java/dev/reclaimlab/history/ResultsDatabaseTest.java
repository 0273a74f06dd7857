package dev.reclaimlab.history;

import dev.reclaimlab.testing.Fixtures;
import dev.reclaimlab.testing.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The results database on a real SQLite file and on a real PostgreSQL server the test starts: the same migrations, the
 * same imports of a real run directory and the same queries give the same answers on both.
 */
class ResultsDatabaseTest {
    static Postgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = Postgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @TempDir
    Path dir;

    @Test
    void sqliteAndPostgresGiveTheSameAnswers() throws Exception {
        List<String> sqlite;
        try (ResultsDatabase db = ResultsDatabase.open("jdbc:sqlite:" + dir.resolve("lab/results.db"), Map.of())) {
            sqlite = exercise(db);
        }
        assertTrue(Files.isRegularFile(dir.resolve("lab/results.db")), "the SQLite file and its folder were made");
        List<String> pg;
        try (ResultsDatabase db = ResultsDatabase.open(postgres.createDatabase("same_answers"), Map.of())) {
            assertTrue(db.isPostgres());
            pg = exercise(db);
        }
        assertEquals(sqlite, pg);
        assertTrue(sqlite.size() > 10, "the exercise read things back: " + sqlite);
    }

    @Test
    void migratingTwiceChangesNothingAndKeepsTheRows() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("twice.db");
        try (ResultsDatabase db = ResultsDatabase.open(url, Map.of())) {
            new RunIndexer(db).index(Fixtures.swappinessRun(), "import");
        }
        try (ResultsDatabase db = ResultsDatabase.open(url, Map.of());
             Statement s = db.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1")) {
            rs.next();
            assertEquals(1, rs.getInt(1), "one migration, applied once");
            assertEquals(1, new Runs(db).ofPlan("swappiness", null, null).size());
        }
    }

    @Test
    void aDatabaseLabCannotSpeakIsNamed() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> ResultsDatabase.open("jdbc:mysql://db/lab?password=secret", Map.of()));
        assertTrue(e.getMessage().contains("jdbc:sqlite:FILE"), e.getMessage());
        assertEquals("jdbc:postgresql://h/db?user=u&password=***",
                ResultsDatabase.redact("jdbc:postgresql://h/db?user=u&password=hunter2"));
    }

    /** Every operation the nightly job makes, with what each read back, as text to compare between databases. */
    private List<String> exercise(ResultsDatabase db) throws Exception {
        List<String> seen = new ArrayList<>();
        Path run = Fixtures.swappinessRun();
        IndexedRun indexed = new RunIndexer(db).index(run, "import");
        seen.add("indexed " + indexed.runId() + " " + indexed.planName() + " " + indexed.iterations() + " "
                + indexed.startedAt() + " " + indexed.status());
        assertEquals("2026-12-01T20:26:11.825Z", indexed.startedAt(), "one fixed form for timestamps");
        Runs runs = new Runs(db);
        runs.decide(indexed.runId(), IndexedRun.ACCEPTED, "test");
        IndexedRun again = new RunIndexer(db).index(run, "import");
        assertEquals(IndexedRun.ACCEPTED, again.baseline(), "indexing again keeps the decision");
        seen.add("runs " + runs.ofPlan("swappiness", null, "local").stream().map(IndexedRun::runId).toList());
        seen.add("other host " + runs.ofPlan("swappiness", null, "elsewhere"));
        BaselineKey key = new BaselineKey(indexed.planHash(), "local", "swappiness=100");
        seen.add("accepted " + runs.accepted(key).stream().map(r -> r.runId() + "/" + r.baseline()).toList());
        List<StoredIteration> its = runs.iterations(List.of(indexed.runId()), "local", "swappiness=100",
                List.of("lru.anon.pages", "events"));
        assertEquals(5, its.size());
        for (StoredIteration it : its) {
            seen.add(it.repeat() + " " + it.kernel() + " " + it.status() + " " + it.lostPercent() + " " + it.values());
        }
        assertTrue(its.stream().allMatch(i -> i.values().containsKey("events")), "metrics came back: " + its);
        List<StoredIteration> all = runs.iterations(List.of(indexed.runId()), null, null, null);
        assertEquals(10, all.size());
        seen.add("all metrics of the first " + all.get(0).values().size());
        assertTrue(all.get(0).values().size() > 20, "every number of an iteration is indexed: " + all.get(0).values());
        seen.add("names " + runs.metricNames("swappiness").size());

        Regressions regressions = new Regressions(db);
        String now = ResultsDatabase.stamp(Instant.parse("2026-12-03T01:00:00Z"));
        Regression r = new Regression("r-1", "swappiness", indexed.planHash(), "local", "swappiness=100",
                "lru.anon.pages", Regression.NEW, indexed.runId(), "6.1.0-57", "run-0", "6.1.0-56", indexed.runId(),
                null, 41.5, 0.0079, "+41.5% (p=0.0079, 5 vs 5)", null, now, now, null);
        regressions.save(r);
        regressions.save(r.with(Regression.CONFIRMED, indexed.runId(), now));
        Optional<Regression> open = regressions.unclosed(key, "lru.anon.pages");
        seen.add("unclosed " + open);
        assertEquals(Regression.CONFIRMED, open.orElseThrow().state());
        Notifications notifications = new Notifications(db);
        notifications.record(new Notifications.Sent("r-1", "regression", "http://hook", now, 200, 2, null));
        regressions.save(open.get().with(Regression.CLOSED, "run-9", now));
        assertTrue(regressions.unclosed(key, "lru.anon.pages").isEmpty());
        // a kernel that went down has no change to give: its figures are nulls of number columns
        Regression wentDown = new Regression("r-2", "swappiness", indexed.planHash(), "local", "swappiness=0", "events",
                Regression.NEW, indexed.runId(), null, null, null, indexed.runId(), null, null, null,
                "the kernel crashed under the workload", null, now, now, null);
        regressions.save(wentDown);
        regressions.save(wentDown.with(Regression.CONFIRMED, indexed.runId(), now));
        seen.add("all " + regressions.ofPlan("swappiness", "local"));
        seen.add("sent " + notifications.of("r-1"));

        HostLeases leases = new HostLeases(db);
        Instant t = Instant.parse("2026-12-03T02:00:00Z");
        assertTrue(leases.take("arm01", "job A", t).isEmpty());
        Optional<String> taken = leases.take("arm01", "job B", t.plusSeconds(60));
        assertTrue(taken.orElse("").startsWith("job A since"), "the second job is told who holds it: " + taken);
        assertTrue(leases.renew("arm01", "job A", t.plusSeconds(120)));
        assertFalse(leases.renew("arm01", "job B", t.plusSeconds(120)));
        assertTrue(leases.take("arm01", "job B", t.plus(HostLeases.TERM).plusSeconds(121)).isEmpty(),
                "a lease its holder stopped renewing expires");
        leases.release("arm01", "job B");
        assertTrue(leases.take("arm01", "job C", t.plusSeconds(180)).isEmpty(), "a released lease is free");
        seen.add("leases ok");
        assertNull(runs.find("no-such-run").orElse(null));
        return seen;
    }
}
