package dev.reclaimlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.bisect.SimulatedBisect;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.CapturedStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** lab bisect's input checks and its offline report; bisecting real kernels is BisectIT's. */
class BisectCommandTest {
    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();
    @TempDir
    Path dir;

    @Test
    void theReportIsRecomputedFromTheRecordedSamplesAlone() throws Exception {
        SimulatedBisect.run(dir, 8, 5); // leaves bisect.json, as lab bisect does; no report yet
        assertFalse(Files.exists(dir.resolve("report.html")));

        int exit = LabCommand.execute("bisect", "report", dir.toString());

        assertEquals(ExitCodes.OK, exit, streams.stderr() + streams.stdout());
        assertTrue(streams.stdout().contains("outcome:  found"), streams.stdout());
        assertTrue(streams.stdout().contains("first bad: k5; last good: k4"), streams.stdout());
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("first bad: k5; last good: k4"), "the answer at the top");
        assertTrue(html.indexOf("Answer") < html.indexOf("Candidates"), "the answer before the table");
        assertTrue(html.matches("(?s).*With (\\d+) against \\1 repeats the rank test cannot give a p below 0\\.\\d+.*"),
                "what the repeats can resolve");
        JsonNode summary = Json.mapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals("found", summary.get("outcome").asText());
        assertEquals("k5", summary.get("first_bad").get("kernel").asText());
        String junit = Files.readString(dir.resolve("junit.xml"));
        assertTrue(junit.contains("name=\"k7\"") && junit.contains("<failure"), junit);
    }

    @Test
    void aPlanWithoutARegressionLimitIsRefusedBeforeAnyHostIsTouched() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                name: no-verdict
                workloads:
                  - {name: w, command: ["true"]}
                """);
        Path candidates = dir.resolve("candidates.yaml");
        Files.writeString(candidates, "- 6.1.0-44\n- 6.1.0-45\n");

        int exit = LabCommand.execute("bisect", plan.toString(), "--candidates", candidates.toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertTrue(streams.stderr().contains("names no regression limit"), streams.stderr());
        assertFalse(Files.exists(Path.of("bisects")), "nothing written");
    }

    @Test
    void aPlanWithSeveralVariantsIsRefused() throws Exception {
        Path plan = dir.resolve("plan.yaml");
        Files.writeString(plan, """
                name: two
                workloads:
                  - {name: w, command: [sleep, "${s}"]}
                verdict:
                  regression: [{metric: memcg_reclaim.count, increase: 20%}]
                variants:
                  matrix: {s: ["1", "2"]}
                """);
        Path candidates = dir.resolve("candidates.yaml");
        Files.writeString(candidates, "- 6.1.0-44\n- 6.1.0-45\n");

        int exit = LabCommand.execute("bisect", plan.toString(), "--candidates", candidates.toString());

        assertEquals(ExitCodes.BAD_INPUT, exit);
        assertTrue(streams.stderr().contains("a bisect measures one variant; this plan has 2"), streams.stderr());
    }

    @Test
    void aStepThatCannotBeDoneStopsGitBisectInsteadOfCallingTheCommitBad() throws Exception {
        int exit = LabCommand.execute("bisect", "step", dir.resolve("missing.yaml").toString(), "--kernel", "6.1.0-44",
                "--against", dir.toString());

        assertEquals(BisectStepCommand.ABORT, exit, "128: git bisect run stops, never 1 or 2");
        assertTrue(streams.stderr().contains("no bisect here"), streams.stderr());
    }

    @Test
    void aStepWithAnotherPlanThanTheBisectsIsRefused() throws Exception {
        SimulatedBisect.run(dir, 8, 5);
        Path plan = dir.resolve("other.yaml");
        Files.writeString(plan, "name: other\nworkloads:\n  - {name: w, command: [\"true\"]}\n");

        int exit = LabCommand.execute("bisect", "step", plan.toString(), "--kernel", "6.1.0-44", "--against",
                dir.toString());

        assertEquals(BisectStepCommand.ABORT, exit);
        assertTrue(streams.stderr().contains("is not the plan the bisect in"), streams.stderr());
    }
}
