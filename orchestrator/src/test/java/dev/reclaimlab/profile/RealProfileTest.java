package dev.reclaimlab.profile;

import dev.reclaimlab.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * lab's sampler on this machine's real kernel during a real memcg reclaim storm
 * (src/test/resources/profile/memcg-storm.sh), recorded at the same time by {@code perf record -a -g} at the same
 * rate: the reclaim path shows in the writers' stacks, and its share of their samples is perf's within what
 * sampling noise allows. Needs root, memory cgroups, a C compiler and perf (scripts/test installs linux-perf).
 */
class RealProfileTest {
    private static final Path SAMPLER = Path.of("src/main/resources/profile/lab-sampler.c").toAbsolutePath();
    private static final Path STORM = Path.of("src/test/resources/profile/memcg-storm.sh").toAbsolutePath();
    private static final String RECLAIM = "try_to_free_mem_cgroup_pages";
    private static final Path LIB_SH = Path.of("src/main/resources/host/lib.sh").toAbsolutePath();

    @Test
    void theReclaimPathOfAStormIsInTheWritersStacksWithTheShareThatPerfSees(@TempDir Path dir) throws Exception {
        Prerequisites.requireRootWithMemoryCgroups();
        Prerequisites.require("cc");
        Prerequisites.require("perf");
        Path sampler = dir.resolve("lab-sampler");
        run(dir, List.of("cc", "-O2", "-Wall", "-Werror", "-o", sampler.toString(), SAMPLER.toString()));

        Path samples = dir.resolve("samples.txt");
        Process sampling = new ProcessBuilder(sampler.toString(), "999").redirectOutput(samples.toFile())
                .redirectError(dir.resolve("sampler.err").toFile()).start();
        Path perfData = dir.resolve("perf.data");
        try {
            Thread.sleep(300); // the sampler has opened its events: the storm is inside its window
            run(dir, List.of("perf", "record", "-q", "-a", "-g", "-F", "999", "-o", perfData.toString(), "--",
                    "sh", STORM.toString(), "1000"));
        } finally {
            sampling.destroy(); // SIGTERM: it stops its events, drains them and writes its end line
            assertTrue(sampling.waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(0, sampling.exitValue(), Files.readString(dir.resolve("sampler.err")));

        SampledProfile profile = SampledProfile.fold(samples, Path.of("/proc/kallsyms"));
        SamplerOutput.Summary summary = profile.summary();
        assertTrue(summary.header() && summary.ended(), "the sampler wrote its whole output: " + summary);
        assertEquals(0, summary.malformedLines(), summary.firstMalformed());
        assertEquals(0, summary.lostSamples());
        assertEquals(999, summary.hz());

        // the writers' samples, by the name the storm gave them (sh exec'ing dd: the comm records keep it current)
        long dd = 0;
        long ddReclaim = 0;
        long ddShrinkNode = 0;
        for (Map.Entry<String, Long> e : profile.stacks().entries()) {
            if (e.getKey().startsWith("dd;")) {
                dd += e.getValue();
                ddReclaim += e.getKey().contains(";" + RECLAIM + ";") ? e.getValue() : 0;
                ddShrinkNode += e.getKey().contains(";shrink_node;") ? e.getValue() : 0;
            }
        }
        assertTrue(dd > 200, "the writers ran for a while: " + dd + " samples");
        assertTrue(ddReclaim > 0 && ddShrinkNode > 0, "memcg reclaim in the writers' stacks: " + ddReclaim);
        FunctionShares shares = FunctionShares.of(profile.stacks());
        assertTrue(shares.function(RECLAIM).orElseThrow().inclusiveSystem() >= ddReclaim);

        double ours = (double) ddReclaim / dd;
        double perfs = perfShare(dir, perfData);
        // perf's own samples, as lab turns them into its sampler's lines on a host with perf (lib.sh) and folds them
        Path perfLines = dir.resolve("perf-lines.txt");
        run(dir, List.of("sh", "-c", ". \"$1\" && perf script -i \"$2\" -F comm,pid,tid,cpu,time,ip 2>/dev/null "
                + "| lab_perf_lines 999 > \"$3\"", "sh", LIB_SH.toString(), perfData.toString(), perfLines.toString()));
        SampledProfile viaPerf = SampledProfile.fold(perfLines, Path.of("/proc/kallsyms"));
        assertEquals("perf", viaPerf.summary().source());
        assertEquals(0, viaPerf.summary().malformedLines(), viaPerf.summary().firstMalformed());
        double perfFolded = ddShare(viaPerf.stacks());
        double perfNamed = perfScriptShare(dir, perfData);
        System.out.printf("%s in dd's samples: lab-sampler %.1f%% of %d, perf report %.1f%%, perf's samples named by "
                + "perf %.2f%% and by lab %.2f%%%n", RECLAIM, 100 * ours, dd, 100 * perfs, 100 * perfNamed,
                100 * perfFolded);
        // the same samples with the same task names, named by perf and by lab: a sample or two apart at most (lab
        // names a return address at the byte before it). perf report's own filter by comm counts slightly other
        // samples as dd's, so it is not the reference here.
        assertEquals(perfNamed, perfFolded, 0.006);
        // two samplers of the same storm, not of the same instants: a few points apart at most with ~600 samples
        assertEquals(perfs, ours, Math.max(0.08, 0.35 * perfs));
    }

    /** The reclaim function's share of dd's samples, with perf's own symbols ({@code perf script -F comm,ip,sym}). */
    private static double perfScriptShare(Path dir, Path perfData) throws Exception {
        Path script = dir.resolve("perf-script.txt");
        ProcessBuilder pb = new ProcessBuilder("perf", "script", "-i", perfData.toString(), "-F", "comm,ip,sym")
                .redirectOutput(script.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        assertEquals(0, pb.start().waitFor());
        long dd = 0;
        long reclaim = 0;
        String comm = null;
        boolean hit = false;
        for (String line : Files.readAllLines(script, StandardCharsets.ISO_8859_1)) {
            if (line.isEmpty()) {
                if ("dd".equals(comm)) {
                    dd++;
                    reclaim += hit ? 1 : 0;
                }
                comm = null;
            } else if (!Character.isWhitespace(line.charAt(0))) {
                comm = line.strip();
                hit = false;
            } else if (line.strip().endsWith(" " + RECLAIM)) {
                hit = true;
            }
        }
        if ("dd".equals(comm)) {
            dd++;
            reclaim += hit ? 1 : 0;
        }
        return dd == 0 ? 0 : (double) reclaim / dd;
    }

    /** The reclaim function's share of the writers' samples. */
    private static double ddShare(FoldedStacks stacks) {
        long dd = 0;
        long reclaim = 0;
        for (Map.Entry<String, Long> e : stacks.entries()) {
            if (e.getKey().startsWith("dd;")) {
                dd += e.getValue();
                reclaim += e.getKey().contains(";" + RECLAIM + ";") ? e.getValue() : 0;
            }
        }
        return dd == 0 ? 0 : (double) reclaim / dd;
    }

    /** perf's inclusive share of the reclaim function among dd's samples ({@code --children}, relative). */
    private static double perfShare(Path dir, Path perfData) throws Exception {
        Path report = dir.resolve("perf-report.txt");
        ProcessBuilder pb = new ProcessBuilder("perf", "report", "-i", perfData.toString(), "--comm", "dd",
                "--percentage", "relative", "--children", "--stdio", "--sort", "sym", "-g", "none")
                .redirectOutput(report.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        assertEquals(0, pb.start().waitFor());
        Pattern line = Pattern.compile("^\\s*([0-9.]+)%\\s+[0-9.]+%\\s+\\[k\\]\\s+" + RECLAIM + "\\s*$");
        try (BufferedReader in = Files.newBufferedReader(report, StandardCharsets.ISO_8859_1)) {
            for (String l; (l = in.readLine()) != null; ) {
                Matcher m = line.matcher(l);
                if (m.find()) {
                    return Double.parseDouble(m.group(1)) / 100;
                }
            }
        }
        throw new AssertionError("perf report names no " + RECLAIM + " in dd's samples: " + Files.readString(report));
    }

    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "ran within 2 minutes: " + command);
        assertEquals(0, p.exitValue(), command + ": " + Files.readString(dir.resolve("out.txt")));
    }
}
