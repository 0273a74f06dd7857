package dev.reclaimlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.testing.HostResidue;
import dev.reclaimlab.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab run} of a plan with {@code profile:} on this machine: lab builds its sampler, runs it through a real
 * memcg storm beside the trace, and the iteration's collapsed stacks and profile metrics show the reclaim the trace
 * saw, with nothing left running or lying on the host afterwards.
 */
class ProfileRunIT {
    private static final Path PLAN = Prerequisites.repoRoot()
            .resolve("orchestrator/src/test/resources/it-plans/profile-storm.yaml");

    @Test
    void aProfiledStormShowsItsReclaimPathInTheStacksAndTheMetrics(@TempDir Path runs) throws Exception {
        Prerequisites.requireRootWithMemoryCgroups();
        Prerequisites.require("cc");
        HostResidue.Snapshot before = HostResidue.snapshot();

        int exit = LabCommand.execute("run", PLAN.toString(), "--runs", runs.toString());

        RunResults run = RunResults.single(runs);
        assertEquals(0, exit, "lab run exit code; manifest: " + run.manifest().toPrettyString());
        JsonNode iteration = run.iteration("default", 1);
        JsonNode metrics = run.metrics(iteration);
        assertEquals(java.util.Set.of(), dev.reclaimlab.analysis.MetricsSchemaTest.validate(metrics), "metrics.json schema");
        assertTrue(metrics.get("memcg_reclaim").get("count").asLong() > 10, "the trace saw the storm");

        JsonNode profile = metrics.get("profile");
        assertEquals("lab-sampler", profile.get("sampler").asText());
        assertEquals(999, profile.get("frequency").asInt());
        assertTrue(profile.get("complete").asBoolean(), "the sampler ended well: " + profile);
        assertEquals(0, profile.get("lost").asLong());
        long samples = profile.get("samples").asLong();
        assertTrue(samples > 200, "samples over the storm: " + samples);
        double reclaim = profile.get("share").path("try_to_free_mem_cgroup_pages").asDouble(0);
        assertTrue(reclaim > 0, "memcg reclaim in the profile: " + profile.get("share"));

        // the folded stacks say the same: dd's stacks run through the memcg reclaim entry point
        Path folded = run.file(iteration.get("dir").asText() + "/profile/stacks.folded");
        Map<String, Long> byStack = Files.readAllLines(folded, StandardCharsets.ISO_8859_1).stream()
                .collect(Collectors.toMap(l -> l.substring(0, l.lastIndexOf(' ')),
                        l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))));
        assertEquals(samples, byStack.values().stream().mapToLong(Long::longValue).sum(), "every sample folded");
        long ddReclaim = byStack.entrySet().stream()
                .filter(e -> e.getKey().startsWith("dd;") && e.getKey().contains(";try_to_free_mem_cgroup_pages;"))
                .mapToLong(Map.Entry::getValue).sum();
        assertEquals(Math.round(reclaim * samples), ddReclaim, 1.0 + 0.02 * samples,
                "the reclaim share is the writers' reclaim stacks (kswapd and kworkers do not call it)");
        assertTrue(Files.size(run.file(iteration.get("dir").asText() + "/profile/kallsyms")) > 100_000,
                "the boot's symbols came back");

        assertEquals(0, LabCommand.execute("report", run.file(".").toString(), "--check"),
                "the plan's storm verdict, which reads profile.share.try_to_free_mem_cgroup_pages, holds");
        assertEquals(List.of(), HostResidue.leftSince(before), "residue on the host");
        Process pgrep = new ProcessBuilder("pgrep", "-x", "lab-sampler").start();
        assertEquals(1, pgrep.waitFor(), "no sampler left running");
    }
}
