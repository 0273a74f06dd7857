package dev.reclaimlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.testing.Browser;
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
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code lab run} of a plan with {@code profile:} on this machine, once with lab's sampler (which lab builds) and once
 * with perf: each runs through a real memcg storm beside the trace, and the iteration's collapsed stacks and profile
 * metrics show the reclaim the trace saw, with nothing left running or lying on the host afterwards.
 */
class ProfileRunIT {
    private static final Path PLAN = Prerequisites.repoRoot()
            .resolve("orchestrator/src/test/resources/it-plans/profile-storm.yaml");

    @Test
    void aProfiledStormShowsItsReclaimPathInTheStacksAndTheMetrics(@TempDir Path runs) throws Exception {
        Prerequisites.requireRootWithMemoryCgroups();
        Prerequisites.require("cc");
        Prerequisites.require("perf");
        HostResidue.Snapshot before = HostResidue.snapshot();

        int exit = LabCommand.execute("run", PLAN.toString(), "--runs", runs.toString());

        RunResults run = RunResults.single(runs);
        assertEquals(0, exit, "lab run exit code; manifest: " + run.manifest().toPrettyString());
        for (String tool : List.of("lab", "perf")) {
            JsonNode iteration = run.iteration("tool=" + tool, 1);
            JsonNode metrics = run.metrics(iteration);
            assertEquals(java.util.Set.of(), dev.reclaimlab.analysis.MetricsSchemaTest.validate(metrics),
                    "metrics.json schema");
            assertTrue(metrics.get("memcg_reclaim").get("count").asLong() > 10, "the trace saw the storm");

            JsonNode profile = metrics.get("profile");
            assertEquals(tool.equals("lab") ? "lab-sampler" : "perf", profile.get("sampler").asText(), "said which");
            assertEquals(999, profile.get("frequency").asInt());
            assertTrue(profile.get("complete").asBoolean(), "the sampler ended well: " + profile);
            assertEquals(0, profile.get("lost").asLong());
            long samples = profile.get("samples").asLong();
            assertTrue(samples > 200, "samples over the storm: " + samples);
            double reclaim = profile.get("share").path("try_to_free_mem_cgroup_pages").asDouble(0);
            assertTrue(reclaim > 0, "memcg reclaim in the profile: " + profile.get("share"));
            System.out.printf("%s: %d samples, memcg reclaim %.1f%% of all, %.1f%% of system time%n", tool, samples,
                    100 * reclaim, 100 * profile.get("share_of_system").path("try_to_free_mem_cgroup_pages").asDouble());

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
            assertTrue(!Files.exists(run.file(iteration.get("dir").asText() + "/profile/perf.data")),
                    "perf.data stays on the host, which removes it");
        }
        assertEquals(0, LabCommand.execute("report", run.file(".").toString(), "--check"),
                "the plan's storm verdict, which reads profile.share.try_to_free_mem_cgroup_pages, holds");
        aPersonCanExploreTheFlameGraphs(run.file("report.html"), runs);
        assertEquals(List.of(), HostResidue.leftSince(before), "residue on the host");
        Process pgrep = new ProcessBuilder("pgrep", "-x", "lab-sampler").start();
        assertEquals(1, pgrep.waitFor(), "no sampler left running");
    }

    /**
     * The report in a real headless Chromium: a flame graph per side and a differential one, frames drawn with a
     * size; a click on the writers' frame zooms into it (frames of other tasks are hidden, the writers' frame spans
     * the width); a search for the reclaim function highlights frames and says what share they cover.
     */
    private static void aPersonCanExploreTheFlameGraphs(Path report, Path dir) throws Exception {
        try (Browser browser = new Browser()) {
            Browser.Visit visit = browser.open(report, dir.resolve("report.png"));
            assertEquals(List.of(), visit.consoleErrors());
            WebDriver page = browser.driver();
            List<WebElement> graphs = page.findElements(By.cssSelector("svg.flame"));
            assertEquals(3, graphs.size(), "tool=lab, tool=perf and tool=perf against tool=lab");
            assertEquals(1, page.findElements(By.cssSelector("svg.flame.diff")).size());
            WebElement first = graphs.get(0);
            List<WebElement> frames = first.findElements(By.cssSelector("g.f"));
            assertTrue(frames.size() > 20, "frames drawn: " + frames.size());
            assertTrue(frames.stream().allMatch(f -> f.findElement(By.tagName("rect")).getSize().getWidth() > 0));

            WebElement dd = first.findElement(By.cssSelector("g.f[data-n='dd'][data-d='1']"));
            double before = Double.parseDouble(dd.findElement(By.tagName("rect")).getAttribute("width"));
            new Actions(page).moveToElement(dd.findElement(By.tagName("rect")), 1, 1).click().perform();
            double after = Double.parseDouble(dd.findElement(By.tagName("rect")).getAttribute("width"));
            assertTrue(before < 1100 && Math.abs(after - 1200) < 0.01, "zoomed into dd: " + before + " -> " + after);
            WebElement swapper = first.findElement(By.cssSelector("g.f[data-n='swapper'][data-d='1']"));
            assertEquals("none", swapper.getCssValue("display"), "other tasks are hidden while zoomed");

            WebElement search = page.findElement(By.cssSelector(".flame-search input"));
            search.sendKeys("try_to_free_mem_cgroup_pages");
            List<WebElement> matches = first.findElements(By.cssSelector("g.f.match"));
            assertTrue(!matches.isEmpty(), "the reclaim function is highlighted");
            String matched = first.findElement(By.cssSelector("text.matched")).getText();
            assertTrue(matched.matches("matched: \\d+\\.\\d%") && !matched.equals("matched: 0.0%"), matched);
            assertEquals(List.of(), browser.consoleErrors());
        }
    }
}
