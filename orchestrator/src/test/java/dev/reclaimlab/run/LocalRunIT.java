package dev.reclaimlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.testing.HostResidue;
import dev.reclaimlab.testing.Playbooks;
import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.testing.TraceText;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lab run} on the built-in local host: this machine's real memory cgroups, swap and tracepoints. */
class LocalRunIT {

    @BeforeAll
    static void realHost() {
        Prerequisites.requireRootWithMemoryCgroups();
    }

    @Test
    void swappinessPlaybookReproducesSeedResultAndLeavesNothingBehind(@TempDir Path runs) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Path plan = Playbooks.swappiness();

        int exit = LabCommand.execute("run", plan.toString(), "--runs", runs.toString());

        RunResults run = RunResults.single(runs);
        assertEquals(0, exit, "lab run exit code; manifest: " + run.manifest().toPrettyString());
        assertEquals("ok", run.manifest().get("status").asText());
        JsonNode at100 = run.metrics(run.iteration("swappiness=100", 1));
        JsonNode at0 = run.metrics(run.iteration("swappiness=0", 1));
        JsonNode lru100 = at100.get("lru_shrink_inactive");
        JsonNode lru0 = at0.get("lru_shrink_inactive");
        assertTrue(lru100.get("anon_events").asLong() > 0, "ANON reclaim at swappiness 100: " + lru100);
        assertEquals(0, lru0.get("anon_events").asLong(), "ANON reclaim at swappiness 0: " + lru0);
        assertTrue(lru100.get("file_events").asLong() > 0, "FILE reclaim at swappiness 100: " + lru100);
        assertTrue(lru0.get("file_events").asLong() > 0, "FILE reclaim at swappiness 0: " + lru0);
        JsonNode memcg = at0.get("memcg_reclaim");
        assertTrue(memcg.get("count").asLong() > 0, "memcg reclaims paired: " + memcg);
        assertTrue(memcg.get("latency_us").get("p99").asDouble() >= memcg.get("latency_us").get("p50").asDouble());
        assertEquals(0, at0.get("skipped_lines").asLong(), "every line of our own trace is read: " + at0.get("skipped_samples"));
        assertEquals(java.util.Set.of(), dev.reclaimlab.analysis.MetricsSchemaTest.validate(at100), "metrics.json schema");
        assertEquals(java.util.Set.of(), dev.reclaimlab.analysis.MetricsSchemaTest.validate(at0), "metrics.json schema");
        assertTrue(at0.get("formats").toString().contains("mm_vmscan_memcg_reclaim_end"), "read with the run's formats");

        JsonNode artifacts = run.iteration("swappiness=100", 1).get("artifacts");
        String trace = Files.readString(TraceText.of(run.file(artifacts.get("trace").asText())));
        assertTrue(trace.contains("mm_vmscan_lru_shrink_inactive:"), "trace has the events");
        assertTrue(trace.contains("lab: start run="), "trace has lab's start marker");
        assertTrue(Files.readString(run.file(artifacts.get("formats").get(0).asText())).contains("print fmt:"),
                "event format files are kept");
        Path loadavg = run.file("hosts/local/swappiness-100/r1/monitors/loadavg.csv");
        assertTrue(Files.readAllLines(loadavg).size() >= 2, "loadavg sampled: " + Files.readAllLines(loadavg));
        assertTrue(Files.readString(run.file("hosts/local/swappiness-100/r1/workloads.csv")).contains("dd,1,0"));
        assertTrue(Files.exists(run.file("steps.jsonl")), "step log finished");
        assertTrue(Files.exists(run.file("hosts/local/facts.json")));
        String report = Files.readString(run.file("report.html"));
        assertTrue(report.contains("swappiness=100") && report.contains("swappiness=0"), "report has both variants");
        // one repeat per variant: the report's mean is the iteration's value
        assertTrue(report.contains(">" + memcg.get("count").asLong() + " <span"), "report shows the memcg reclaim count");
        assertTrue(report.contains(">" + lru100.get("anon_events").asLong() + " <span"), "report shows ANON events");
        assertTrue(report.contains("<code>latency_us.p99</code>"), "report shows reclaim latency");
        assertTrue(report.contains("significance cannot be judged"), "one repeat is said to be too few");
        assertTrue(Files.exists(run.file("summary.json")) && Files.exists(run.file("junit.xml")));

        assertEquals(java.util.List.of(), HostResidue.leftSince(before), "residue on the host");
    }
}
