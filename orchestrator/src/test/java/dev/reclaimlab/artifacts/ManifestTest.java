package dev.reclaimlab.artifacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.Fixtures;
import dev.reclaimlab.testing.JsonSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * manifest.json is documented by schema/manifest.schema.json and read back into the records lab writes it from:
 * the schema and the records name the same fields, what lab wrote validates, and reading then writing loses
 * nothing. The ITs validate the manifests of real runs the same way.
 */
class ManifestTest {

    @Test
    void theFixtureRunsManifestValidatesAndReadsBackTyped() throws IOException {
        RunDirectory run = RunDirectory.open(Fixtures.swappinessRun());
        JsonNode written = Json.mapper().readTree(run.resolve(RunLayout.MANIFEST).toFile());
        assertEquals(Set.of(), JsonSchemas.validate("manifest", written));

        Manifest manifest = run.manifest();
        assertEquals(RunStatus.OK, manifest.status());
        assertEquals(10, manifest.iterations().size());
        Manifest.IterationEntry first = manifest.iterations().get(0);
        assertEquals(Map.of("swappiness", "100"), first.variant());
        assertEquals("swappiness=100 r1", first.label());
        assertEquals(IterationStatus.OK, first.status());
        assertEquals(TeardownStatus.COMPLETE, manifest.hosts().get(0).teardown());
        assertEquals(0L, first.lostEvents());
        assertTrue(Files.isRegularFile(run.resolve(first.artifacts().metrics())));
        assertEquals(written, Json.mapper().readTree(Json.mapper().writeValueAsString(manifest)),
                "reading and writing again loses nothing");
    }

    @Test
    void theSchemaNamesExactlyTheFieldsOfTheRecords() throws IOException {
        assertEquals(List.of(), JsonSchemas.differences("manifest", Manifest.class));
    }

    @Test
    void everyPropertyIsDescribedAndTheSchemaIsValid() throws IOException {
        assertEquals(List.of(), JsonSchemas.undescribed("manifest"));
        assertEquals(Set.of(), JsonSchemas.metaProblems("manifest"));
    }

    @Test
    void theSchemaRefusesWhatItShould() throws IOException {
        ObjectNode manifest = (ObjectNode) Json.mapper().readTree(
                Fixtures.swappinessRun().resolve(RunLayout.MANIFEST).toFile());
        ObjectNode unknownStatus = manifest.deepCopy();
        unknownStatus.put("status", "fine");
        ObjectNode noHosts = manifest.deepCopy();
        noHosts.remove("hosts");
        ObjectNode zerothRepeat = manifest.deepCopy();
        ((ObjectNode) zerothRepeat.get("iterations").get(0)).put("repeat", 0);
        ObjectNode stray = manifest.deepCopy();
        ((ObjectNode) stray.get("iterations").get(0).get("artifacts")).put("core", "core.1");
        for (ObjectNode bad : List.of(unknownStatus, noHosts, zerothRepeat, stray)) {
            assertFalse(JsonSchemas.validate("manifest", bad).isEmpty(), bad.toString().substring(0, 60));
        }
    }

    @Test
    void aManifestKeptCurrentWhileTheRunGoesOnValidatesAtEveryStep(@TempDir Path dir) throws IOException {
        RunDirectory run = RunDirectory.create(dir.resolve("run"));
        ManifestWriter writer = new ManifestWriter(run, "20260101-000000-abcd", "tiny");
        List<JsonNode> seen = new ArrayList<>();
        writer.iteration(new Manifest.IterationEntry("local", Map.of("x", "1"), "x=1", 1, "hosts/local/x-1/r1",
                IterationStatus.WORKLOAD_FAILED, "a workload exited non-zero", "2026-01-01T00:00:00Z", 12,
                Manifest.Artifacts.none(), List.of(new Manifest.WorkloadExit("dd", 1, 124)), null,
                new Manifest.BootSeen("6.12.57+deb13-arm64", "console=ttyAMA0 panic=-1 cgroup.memory=nokmem")));
        seen.add(Json.mapper().readTree(run.resolve(RunLayout.MANIFEST).toFile()));
        writer.host(new Manifest.HostEntry("local", RunLayout.facts("local"), "6.1.0", RunStatus.OK, List.of(),
                TeardownStatus.COMPLETE, null, List.of(
                        new Manifest.BootEntry("kernel 6.12, cmdline +cgroup.memory=nokmem", "6.12",
                                Manifest.BootOutcome.BOOTED, "6.12.57+deb13-arm64", "cgroup.memory=nokmem", "b1",
                                "hosts/local/boots/1/console.log", null),
                        new Manifest.BootEntry("the host's default kernel and command line", null,
                                Manifest.BootOutcome.DEFAULT, "6.1.0-44-arm64", "", "b2", null, null))));
        writer.finish(RunStatus.OK);
        seen.add(Json.mapper().readTree(run.resolve(RunLayout.MANIFEST).toFile()));

        assertEquals("running", seen.get(0).get("status").asText());
        assertFalse(seen.get(0).has("finished_at"));
        for (JsonNode manifest : seen) {
            assertEquals(Set.of(), JsonSchemas.validate("manifest", manifest), manifest.toPrettyString());
        }
        assertEquals(RunStatus.OK, run.manifest().status());
    }

    @Test
    void aFolderWithoutAManifestIsNotARunDirectory(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> RunDirectory.open(dir));
        assertTrue(e.getMessage().contains("is not a run directory (no manifest.json)"), e.getMessage());
    }

    @Test
    void theRunsStatusIsTheMostSeriousOfItsHosts() {
        assertEquals(RunStatus.OK, RunStatus.overall(List.of()));
        assertEquals(RunStatus.OK, RunStatus.overall(List.of(RunStatus.OK, RunStatus.OK)));
        assertEquals(RunStatus.UNMET, RunStatus.overall(List.of(RunStatus.OK, RunStatus.UNMET)));
        assertEquals(RunStatus.FAILED, RunStatus.overall(List.of(RunStatus.UNMET, RunStatus.FAILED, RunStatus.OK)));
        assertEquals(RunStatus.RESIDUE, RunStatus.overall(List.of(RunStatus.FAILED, RunStatus.RESIDUE)));
        assertEquals(RunStatus.INTERRUPTED, RunStatus.overall(List.of(RunStatus.RESIDUE, RunStatus.INTERRUPTED)));
    }
}
