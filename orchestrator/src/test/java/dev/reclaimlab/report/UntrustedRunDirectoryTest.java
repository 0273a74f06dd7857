package dev.reclaimlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.Fixtures;
import dev.reclaimlab.testing.JsonSchemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run directory may come from a colleague, a CI artifact or a crashed run: a report made from it reads and links
 * only the run's own files, draws only finite numbers, and says when the run never finished.
 */
class UntrustedRunDirectoryTest {

    @Test
    void aManifestPathOutsideTheRunIsRefused(@TempDir Path dir) throws Exception {
        Path run = Fixtures.swappinessRunCopy(dir);
        editManifest(run, manifest -> ((ObjectNode) iteration(manifest, 0).get("artifacts"))
                .put("metrics", "../../../../../../etc/passwd"));

        IOException e = assertThrows(IOException.class,
                () -> CompareReport.write(List.of(run), Grouping.VARIANT, dir.resolve("out")));
        assertTrue(e.getMessage().contains("'../../../../../../etc/passwd' leads outside the run directory"),
                e.getMessage());
        assertTrue(e.getMessage().contains(run.resolve(RunLayout.MANIFEST).toString()), e.getMessage());
    }

    @Test
    void aSymbolicLinkOutOfTheRunIsRefused(@TempDir Path dir) throws Exception {
        Path run = Fixtures.swappinessRunCopy(dir);
        Path secret = Files.writeString(dir.resolve("secret.json"), "{\"password\": 1}");
        Path metrics = run.resolve("hosts/local/swappiness-100/r1/metrics.json");
        Files.delete(metrics);
        Files.createSymbolicLink(metrics, secret);

        IOException e = assertThrows(IOException.class,
                () -> CompareReport.write(List.of(run), Grouping.VARIANT, dir.resolve("out")));
        assertTrue(e.getMessage().contains("leads outside the run directory"), e.getMessage());
    }

    @Test
    void linksAreRelativeAndPercentEncoded(@TempDir Path dir) {
        Path out = dir.resolve("report");
        assertEquals("./javascript%3Aalert%281%29", CompareReport.link(out, out.resolve("javascript:alert(1)")));
        assertEquals("./hosts/a%20b/%22%3E%3Cscript%3E/trace.txt",
                CompareReport.link(out, out.resolve("hosts/a b/\"><script>/trace.txt")));
        assertEquals("../other%20run/r%C3%A9sum%C3%A9.txt",
                CompareReport.link(out, dir.resolve("other run/résumé.txt")));
    }

    @Test
    void aRunThatNeverFinishedIsReportedAsSuch(@TempDir Path dir) throws Exception {
        Path run = Fixtures.swappinessRunCopy(dir);
        editManifest(run, manifest -> {
            manifest.put("status", "running");
            manifest.remove("finished_at");
            ArrayNode iterations = (ArrayNode) manifest.get("iterations");
            while (iterations.size() > 7) {
                iterations.remove(iterations.size() - 1);
            }
        });
        // The step log of a killed orchestrator ends in the middle of a record.
        byte[] steps = Files.readAllBytes(run.resolve(RunLayout.STEPS));
        Files.write(run.resolve(RunLayout.STEPS), java.util.Arrays.copyOf(steps, steps.length - 40));

        CompareReport.Written written = CompareReport.write(List.of(run), Grouping.VARIANT, dir.resolve("out"));

        assertEquals(List.of("20261201-202611-c417"), written.unfinished());
        String html = Files.readString(written.report());
        assertTrue(html.contains("did not finish") && html.contains("only the 7 iterations it finished"),
                "the report opens with the warning");
        JsonNode summary = Json.mapper().readTree(written.summary().toFile());
        assertEquals(Set.of(), JsonSchemas.validate("summary", summary));
        assertEquals("running", summary.get("runs").get(0).get("status").asText());
    }

    @Test
    void anIterationWhoseKernelWentDownLeadsTheReportWithItsEscapedReasonAndConsole(@TempDir Path dir)
            throws Exception {
        Path run = Fixtures.swappinessRunCopy(dir);
        String iterationDir = iteration((ObjectNode) Json.mapper().readTree(run.resolve(RunLayout.MANIFEST).toFile()), 0)
                .get("dir").asText();
        Files.writeString(run.resolve(iterationDir + "/console.log"), "Kernel panic - not syncing: sysrq\n");
        editManifest(run, manifest -> {
            ObjectNode crashed = (ObjectNode) iteration(manifest, 0);
            crashed.put("status", "crashed");
            crashed.put("error", "the kernel panicked during the iteration; on the console: <script>x</script>");
            ((ObjectNode) crashed.get("artifacts")).removeAll().put("console", iterationDir + "/console.log");
        });
        assertEquals(Set.of(), JsonSchemas.validate("manifest",
                Json.mapper().readTree(run.resolve(RunLayout.MANIFEST).toFile())));

        CompareReport.Written written = CompareReport.write(List.of(run), Grouping.VARIANT, dir.resolve("out"));

        String html = Files.readString(written.report());
        int box = html.indexOf("Kernels went down during iterations");
        assertTrue(box > 0 && box < html.indexOf("What was compared"), "the box comes before the tables");
        assertTrue(html.contains("on the console: &lt;script&gt;x&lt;/script&gt;"), "escaped");
        assertFalse(html.contains("<script>x"));
        assertTrue(html.contains("href=\"../" + run.getFileName() + "/" + iterationDir + "/console.log\""),
                "a relative link to the console kept with the iteration");
        assertTrue(html.contains("(4 repeats, <span class=\"bad\">1 crashed without figures</span>"),
                "its side counts the repeats that measured something");
    }

    @Test
    void chartsCarryNoNaNOrInfinityAndStaySmall() throws Exception {
        ChartSpec chart = ChartSpec.lines("latency", "ms", "count", true, List.of(ChartSpec.series("a", "side a",
                List.of(new double[] {1, 2}, new double[] {Double.NaN, 3}, new double[] {2, Double.POSITIVE_INFINITY},
                        new double[] {3, Double.MAX_VALUE}))));
        String json = Json.mapper().writeValueAsString(chart);

        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
        JsonNode parsed = Json.mapper().readTree(json); // strict JSON, or this throws
        assertEquals("[1.0,2.0,3.0]", parsed.get("series").get(0).get("x").toString(), "no point without an x");
        assertTrue(parsed.get("series").get(0).get("y").get(1).isNull(), "an infinite y is a gap");
        List<double[]> long_ = new java.util.ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            long_.add(new double[] {i, i % 7});
        }
        ChartSpec.Series thinned = ChartSpec.series("b", "", long_);
        assertTrue(thinned.x().size() <= ChartSpec.MAX_POINTS + 1, "thinned: " + thinned.x().size());
        assertEquals(99_999.0, thinned.x().get(thinned.x().size() - 1), "the last point is kept");
        assertFalse(ChartSpec.lines("x", "", "", false, List.of(ChartSpec.series("a", "",
                List.of(new double[] {1, Double.NaN})))).hasData(), "a chart with no finite value is left out");
    }

    private static JsonNode iteration(ObjectNode manifest, int index) {
        return manifest.get("iterations").get(index);
    }

    private static void editManifest(Path run, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        Path file = run.resolve(RunLayout.MANIFEST);
        ObjectNode manifest = (ObjectNode) Json.mapper().readTree(file.toFile());
        edit.accept(manifest);
        Files.write(file, Json.mapper().writeValueAsString(manifest).getBytes(StandardCharsets.UTF_8));
    }
}
