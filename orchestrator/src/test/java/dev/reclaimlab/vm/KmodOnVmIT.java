package dev.reclaimlab.vm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.arm64.Instruction;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.FileTransfer;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.kmod.KernelText;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.run.RunResults;
import dev.reclaimlab.testing.Browser;
import dev.reclaimlab.testing.LabProcess;
import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.testing.TraceText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6 on a real Debian arm64 kernel under QEMU: both kernel modules cross-built here, loaded in the guest by
 * {@code lab run}, their effects read from the traces the guest's kernel wrote and from its text via /proc/kcore.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KmodOnVmIT {
    static final String VM = "it-kmod";
    static final Duration SHORT = Duration.ofSeconds(60);

    @BeforeAll
    static void bootVm() throws Exception {
        VmIT.prerequisites();
        VmIT.Cli up = VmIT.cli("vm", "up", "--name", VM);
        assertEquals(0, up.exit(), up.all());
    }

    @AfterAll
    static void removeVm() throws Exception {
        VmIT.deleteIfRegistered(VM);
    }

    @Test
    @Order(1)
    void stressWorkersReclaimFromTheCgroupExactlyLoopsTimesNodesCalls(@TempDir Path dir) throws Exception {
        Path runDir = run(dir, "stress-kubepods", s -> s, 0);
        JsonNode manifest = manifest(runDir);
        assertEquals(2, manifest.get("iterations").size());
        for (JsonNode iteration : manifest.get("iterations")) {
            assertEquals("ok", iteration.get("status").asText(), iteration.toPrettyString());
            assertEquals(0, iteration.get("lost_events").asLong(), "a lost event would spoil the exact count");
            long loops = iteration.get("variant").get("loops").asLong();
            Path trace = TraceText.of(runDir.resolve(iteration.get("artifacts").get("trace").asText()));
            // By pid: ftrace prints "<...>" for a comm that fell out of its saved_cmdlines cache.
            String pid = workerPid(trace, "lab_stress/1");
            java.util.regex.Pattern worker = java.util.regex.Pattern.compile("^\\s*\\S.*-" + pid + "\\s+\\[\\d+\\].*mm_vmscan_memcg_reclaim_begin:");
            long workerBegins = count(trace, l -> worker.matcher(l).find());
            assertEquals(loops * 8, workerBegins, "one memcg reclaim per call of the worker on CPU 1 (" + trace + ")");
            System.out.printf("stress-kubepods loops=%d: %d reclaims by lab_stress/1, %s%n", loops, workerBegins,
                    Files.readString(runDir.resolve(iteration.get("dir").asText()).resolve("kmod/stress.txt")).replace('\n', ' '));
            Path idir = runDir.resolve(iteration.get("dir").asText());
            String status = Files.readString(idir.resolve("kmod/stress.txt"));
            assertTrue(status.contains("calls=" + loops * 8), status);
            long reclaimed = Long.parseLong(status.replaceAll("(?s).*reclaimed=(\\d+).*", "$1"));
            assertTrue(reclaimed > 0, "the workers freed page cache dd left in the cgroup: " + status);
            String dmesg = Files.readString(idir.resolve("kmod/dmesg.txt"));
            assertTrue(dmesg.contains("lab_reclaim_stress"), dmesg);
        }
        String report = Files.readString(runDir.resolve("report.html"));
        assertTrue(report.contains("Kernel modules") && report.contains("pages reclaimed"), "report shows the stress");
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    @Test
    @Order(2)
    void unloadingTheStressModuleStopsItsReclaims(@TempDir Path dir) throws Exception {
        Path ko = builtModule("lab_reclaim_stress");
        try (Transport guest = guest()) {
            FileTransfer.upload(guest, ko, "/data/it-stress.ko");
            String setup = String.join("\n",
                    "set -e",
                    "echo +memory > /sys/fs/cgroup/cgroup.subtree_control",
                    "mkdir /sys/fs/cgroup/it-stress && echo 300M > /sys/fs/cgroup/it-stress/memory.max",
                    "(echo $$ > /sys/fs/cgroup/it-stress/cgroup.procs; dd if=/dev/zero of=/data/it-stress.img bs=1M count=100 2>/dev/null)",
                    "t=/sys/kernel/tracing/instances/it-stress; mkdir $t",
                    "echo 1 > $t/events/vmscan/mm_vmscan_memcg_reclaim_begin/enable",
                    "insmod /data/it-stress.ko cgroup=/sys/fs/cgroup/it-stress cpus=1 loops=0 nodes=8 nr_pages=32",
                    "sleep 2",
                    "echo loaded=$(grep -c lab_stress $t/trace)",
                    "start=$(date +%s); rmmod lab_reclaim_stress; echo unload_seconds=$(( $(date +%s) - start ))",
                    "echo > $t/trace; sleep 2",
                    "echo unloaded=$(grep -c lab_stress $t/trace || true)",
                    "[ -d /sys/module/lab_reclaim_stress ] && echo still_loaded=1 || echo still_loaded=0");
            String teardown = "rmmod lab_reclaim_stress 2>/dev/null; t=/sys/kernel/tracing/instances/it-stress; "
                    + "echo 0 > $t/events/vmscan/mm_vmscan_memcg_reclaim_begin/enable 2>/dev/null; rmdir $t 2>/dev/null; "
                    + "rm -f /data/it-stress.img /data/it-stress.ko; rmdir /sys/fs/cgroup/it-stress; "
                    + "echo -memory > /sys/fs/cgroup/cgroup.subtree_control; true";
            try {
                ExecResult r = guest.exec(setup, Duration.ofMinutes(3));
                assertTrue(r.ok(), r.stdout() + r.stderr());
                assertTrue(value(r.stdout(), "loaded") > 0, "workers reclaimed while loaded: " + r.stdout());
                assertTrue(value(r.stdout(), "unload_seconds") <= 5, "rmmod stops a worker mid-run promptly: " + r.stdout());
                assertEquals(0, value(r.stdout(), "unloaded"), "no reclaim by the workers after unloading: " + r.stdout());
                assertEquals(0, value(r.stdout(), "still_loaded"));
            } finally {
                guest.exec(teardown, SHORT);
            }
        }
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    @Test
    @Order(3)
    void cuttingShrinkSlabStopsSlabShrinkingButNotMemcgReclaimAndRestoresTheText(@TempDir Path dir) throws Exception {
        List<Instruction> textBefore = shrinkSlabText();
        // The patched variant first, so the unpatched one after it shows the events coming back after unloading.
        Path runDir = run(dir, "patch-shrink-slab", s -> s.replace("point: [none, A, B]", "point: [A, none]"), 0);
        assertEquals(textBefore, shrinkSlabText(), "shrink_slab's text is byte-for-byte as before the run");

        JsonNode manifest = manifest(runDir);
        JsonNode patched = iteration(manifest, "A");
        JsonNode plain = iteration(manifest, "none");
        JsonNode patchedMetrics = metrics(runDir, patched);
        JsonNode plainMetrics = metrics(runDir, plain);
        System.out.printf("patch-shrink-slab: patched A: %d memcg reclaims, %d shrink_slab starts; unpatched: %d, %d%n",
                patchedMetrics.path("event_counts").path("mm_vmscan_memcg_reclaim_begin").asLong(),
                patchedMetrics.path("event_counts").path("mm_shrink_slab_start").asLong(),
                plainMetrics.path("event_counts").path("mm_vmscan_memcg_reclaim_begin").asLong(),
                plainMetrics.path("event_counts").path("mm_shrink_slab_start").asLong());
        assertEquals(0, patchedMetrics.path("event_counts").path("mm_shrink_slab_start").asLong(),
                "no shrink_slab calls while its entry returns 0 at once");
        assertTrue(patchedMetrics.path("event_counts").path("mm_vmscan_memcg_reclaim_begin").asLong() > 100,
                "memcg reclaim went on while patched: " + patchedMetrics.path("event_counts"));
        assertTrue(plainMetrics.path("event_counts").path("mm_shrink_slab_start").asLong() > 0,
                "after unloading, shrink_slab runs again: " + plainMetrics.path("event_counts"));

        // the same in the kernel stack profiles (seed 000 §3 as perf top showed it): shrink_slab's share falls to what
        // its two patched instructions can take, while memcg reclaim goes on
        JsonNode patchedShare = patchedMetrics.get("profile").get("share");
        JsonNode plainShare = plainMetrics.get("profile").get("share");
        long patchedSamples = patchedMetrics.get("profile").get("samples").asLong();
        System.out.printf("patch-shrink-slab profile: shrink_slab %.4f patched (%d samples), %.4f unpatched; memcg "
                        + "reclaim %.4f, %.4f%n", patchedShare.get("shrink_slab").asDouble(), patchedSamples,
                plainShare.get("shrink_slab").asDouble(), patchedShare.get("try_to_free_mem_cgroup_pages").asDouble(),
                plainShare.get("try_to_free_mem_cgroup_pages").asDouble());
        assertTrue(plainShare.get("shrink_slab").asDouble() > 0, "unpatched, shrink_slab is sampled: " + plainShare);
        assertTrue(patchedShare.get("shrink_slab").asDouble() * patchedSamples <= 2,
                "patched, at most a sample or two land on its two instructions: " + patchedShare);
        assertTrue(patchedShare.get("try_to_free_mem_cgroup_pages").asDouble() > 0
                && plainShare.get("try_to_free_mem_cgroup_pages").asDouble() > 0, "memcg reclaim in both profiles");
        String html = Files.readString(runDir.resolve("report.html"));
        int diff = html.indexOf("<svg class=\"flame diff\"");
        assertTrue(diff > 0, "a differential flame graph of the unpatched side against the patched one");
        String diffGraph = html.substring(diff, html.indexOf("</svg>", diff));
        assertTrue(diffGraph.matches("(?s).*data-n=\"shrink_slab\".*?<title>shrink_slab — [0-9,]+ samples, [0-9.]+%, \\+.*"),
                "shrink_slab's frames are drawn as grown against the patched side");
        try (Browser browser = new Browser()) {
            Browser.Visit visit = browser.open(runDir.resolve("report.html"), dir.resolve("patch-shrink-slab.png"));
            assertEquals(List.of(), visit.consoleErrors());
            int widest = browser.driver().findElements(
                            org.openqa.selenium.By.cssSelector("svg.flame.diff g.f[data-n='shrink_slab'] rect"))
                    .stream().mapToInt(r -> r.getSize().getWidth()).max().orElse(0);
            assertTrue(widest > 0, "shrink_slab is drawn in the differential graph, " + widest + " px at its widest");
        }

        Path idir = runDir.resolve(patched.get("dir").asText());
        String before = Files.readString(idir.resolve("kmod/patch.before")).strip();
        assertEquals("d2800000 d65f03c0", Files.readString(idir.resolve("kmod/patch.after")).strip());
        assertEquals(before, Files.readString(idir.resolve("kmod/patch.restored")).strip());
        assertEquals(before, words(textBefore.subList(0, 2)));
        String report = Files.readString(runDir.resolve("report.html"));
        assertTrue(report.contains("Kernel modules") && report.contains("d2800000 d65f03c0"), "report shows before/after");
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    @Test
    @Order(4)
    void aWrongExpectedInstructionIsRefusedAndTheTextIsLeftAlone(@TempDir Path dir) throws Exception {
        List<Instruction> textBefore = shrinkSlabText();
        Path runDir = run(dir, "patch-shrink-slab", s -> s.replace("point: [none, A, B]", "point: [wrong]")
                .replace("    points:\n", "    points:\n      wrong: {symbol: shrink_slab, offset: 0, expect: [\"udf #7\", \"udf #7\"], "
                        + "replace: [\"mov x0, #0\", \"ret\"]}\n"), 1);
        assertEquals(textBefore, shrinkSlabText(), "a refused patch writes nothing");
        JsonNode iteration = manifest(runDir).get("iterations").get(0);
        assertEquals("failed", iteration.get("status").asText());
        String error = iteration.get("error").asText();
        assertTrue(error.contains("expected 00000007 00000007") && error.contains("not changed"),
                "the module's own refusal reaches the run: " + error);
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    /**
     * The orchestrator is killed while the patch is loaded; nobody runs lab cleanup. The guest's watchdog notices
     * the heartbeats stopped, undoes the run (unloading the patch, which restores the text) and lab cleanup then
     * finds nothing to do.
     */
    @Test
    @Order(5)
    void theGuestsWatchdogUnloadsThePatchOfAKilledOrchestratorAndTheTextIsRestored(@TempDir Path dir) throws Exception {
        List<Instruction> textBefore = shrinkSlabText();
        Path plan = LabProcess.withWatchdog(Path.of("src/test/resources/it-plans/patch-then-sleep.yaml").toAbsolutePath(),
                Duration.ofSeconds(5), dir);
        Process lab = LabProcess.start(dir.resolve("lab.log"), "run", plan.toString(), "--host", VM, "--runs",
                dir.resolve("runs").toString());
        try (Transport guest = guest()) {
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (!guest.exec("[ -d /sys/module/lab_insn_patch ]", SHORT).ok()) {
                assertTrue(System.nanoTime() < deadline && lab.isAlive(),
                        "the patch never got loaded:\n" + Files.readString(dir.resolve("lab.log")));
                Thread.sleep(500);
            }
            assertEquals("d2800000 d65f03c0", words(shrinkSlabText().subList(0, 2)), "patched while lab runs");

            lab.destroyForcibly(); // SIGKILL: no shutdown hook, no teardown, no more heartbeats
            lab.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            long killed = System.nanoTime();
            while (guest.exec("[ -d /sys/module/lab_insn_patch ]", SHORT).ok()) {
                assertTrue(System.nanoTime() - killed < Duration.ofSeconds(5 + 30).toNanos(),
                        "the watchdog did not unload the patch within its time and 30 s");
                Thread.sleep(500);
            }
            System.out.printf("patch unloaded by the watchdog %.1fs after the kill%n",
                    (System.nanoTime() - killed) / 1e9);
            // The patch goes early in the replay; the kernel-log line comes when the whole run is undone.
            while (!guest.exec("dmesg | grep -q 'lab: watchdog: run .* undone'", SHORT).ok()) {
                assertTrue(System.nanoTime() - killed < Duration.ofSeconds(5 + 30).toNanos(),
                        "the watchdog says what it did in the kernel log");
                Thread.sleep(500);
            }
        }
        assertEquals(textBefore, shrinkSlabText(), "and with that the text is as before");
        assertEquals(List.of(), VmIT.guestResidue(VM));
        VmIT.Cli cleanup = VmIT.cli("cleanup", "--host", VM);
        assertEquals(0, cleanup.exit(), cleanup.all());
        assertTrue(cleanup.out().contains("nothing to clean up"), cleanup.out());
    }

    /**
     * Issue 13: one run boots a 6.12 and a 6.1 kernel, each with a command-line word of its own, runs the stress module
     * (cross-built for each kernel) under tracing on each, and boots the VM's own kernel and command line at the end.
     */
    @Test
    @Order(6)
    void aRunBootsEachKernelAndCommandLineOnceAndTheVmComesBackToItsOwn(@TempDir Path dir) throws Exception {
        String[] own = observe();
        Path runDir = run(dir, "stress-kubepods", yaml -> yaml.replace("variants:\n  matrix:\n    loops: [10, 50]",
                "boot:\n  kernel: \"${kernel}\"\n  cmdline: {add: [\"lab.kernel=${kernel}\"]}\n"
                        + "variants:\n  matrix:\n    kernel: [\"6.12\", \"6.1\"]\n    loops: [10]"), 0);
        JsonNode manifest = manifest(runDir);
        JsonNode boots = manifest.get("hosts").get(0).get("boots");
        assertEquals(3, boots.size(), boots.toPrettyString());
        for (int i = 0; i < 2; i++) {
            String kernel = i == 0 ? "6.12" : "6.1";
            JsonNode boot = boots.get(i);
            assertEquals("booted", boot.get("outcome").asText(), boot.toPrettyString());
            assertTrue(boot.get("release").asText().startsWith(kernel + "."), boot.toPrettyString());
            assertTrue((" " + boot.get("cmdline").asText() + " ").contains(" lab.kernel=" + kernel + " "),
                    boot.toPrettyString());
            String console = Files.readString(runDir.resolve(boot.get("console").asText()));
            assertTrue(console.contains("Linux version " + boot.get("release").asText()), "the boot's own console");
            JsonNode facts = Json.mapper().readTree(runDir.resolve("hosts/" + VM + "/boots/" + (i + 1) + "/facts.json")
                    .toFile());
            assertEquals(boot.get("release").asText(), facts.get("kernel_release").asText());
            assertEquals(boot.get("cmdline").asText(), facts.get("cmdline").asText());
        }
        assertEquals("default", boots.get(2).get("outcome").asText());
        assertEquals(own[0], boots.get(2).get("release").asText());
        assertEquals(own[1], boots.get(2).get("cmdline").asText());

        assertEquals(2, manifest.get("iterations").size());
        for (JsonNode iteration : manifest.get("iterations")) {
            String kernel = iteration.get("variant").get("kernel").asText();
            assertEquals("ok", iteration.get("status").asText(), iteration.toPrettyString());
            assertTrue(iteration.get("boot").get("release").asText().startsWith(kernel + "."), iteration.toPrettyString());
            assertEquals(0, iteration.get("lost_events").asLong());
            Path idir = runDir.resolve(iteration.get("dir").asText());
            String stress = Files.readString(idir.resolve("kmod/stress.txt"));
            assertTrue(stress.contains("calls=80"), "the module built for " + kernel + " ran its 10 x 8 calls: " + stress);
            JsonNode metrics = metrics(runDir, iteration);
            assertTrue(metrics.get("memcg_reclaim").get("count").asLong() >= 80, metrics.toPrettyString());
            System.out.printf("kernel %s: %s, %d memcg reclaims%n", kernel, iteration.get("boot").get("release").asText(),
                    metrics.get("memcg_reclaim").get("count").asLong());
        }
        assertEquals(own[0] + " " + own[1], String.join(" ", observe()), "the VM runs its own kernel and cmdline again");
        assertEquals(java.util.Optional.empty(), new Vms(VmIT.registry, line -> { }).labBoot(VM));
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    /**
     * A run killed (SIGKILL: no teardown, no boot back) while the VM runs a kernel lab booted for it: lab cleanup
     * undoes the run on that kernel and then boots the VM's own kernel and command line.
     */
    @Test
    @Order(7)
    void cleanupAfterAKilledRunBootsTheVmBackToItsOwn(@TempDir Path dir) throws Exception {
        String[] own = observe();
        Path plan = dir.resolve("boot-then-sleep.yaml");
        Files.writeString(plan, """
                name: boot-then-sleep
                boot: {kernel: "6.12", cmdline: {add: [lab.it=killed]}}
                cgroups: [{path: sleepers, memory_limit: 64M}]
                workloads: [{name: sleep, cgroup: sleepers, command: [sleep, "600"], timeout: 11m}]
                """);
        Process lab = LabProcess.start(dir.resolve("lab.log"), "run", plan.toString(), "--host", VM, "--runs",
                dir.resolve("runs").toString());
        try (var ignored = new AutoCloseable() {
            @Override
            public void close() {
                lab.destroyForcibly();
            }
        }) {
            LabProcess.awaitOutput(lab, dir.resolve("lab.log"), "run workload sleep", Duration.ofMinutes(5));
        }
        lab.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        String[] killedOn = observe();
        assertTrue(killedOn[0].startsWith("6.12.") && killedOn[1].contains("lab.it=killed"), String.join(" ", killedOn));

        VmIT.Cli cleanup = VmIT.cli("cleanup", "--host", VM, "--force");
        assertEquals(0, cleanup.exit(), cleanup.all());
        assertTrue(cleanup.out().contains("booting its default") && cleanup.out().contains("back on its default"),
                cleanup.all());
        assertEquals(own[0] + " " + own[1], String.join(" ", observe()));
        assertEquals(java.util.Optional.empty(), new Vms(VmIT.registry, line -> { }).labBoot(VM));
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    /**
     * A boot that panics (no initramfs init, so the kernel looks for a root file system it does not have) is seen on
     * the console, tried once more, and the group is untestable with the console's panic line; the group on the VM's
     * own kernel still runs, and the VM ends on its own kernel and command line.
     */
    @Test
    @Order(8)
    void aKernelThatPanicsAtBootIsUntestableAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        String[] own = observe();
        Path plan = dir.resolve("panic-at-boot.yaml");
        Files.writeString(plan, """
                name: panic-at-boot
                boot: {cmdline: {add: ["${init}"]}}
                workloads: [{name: w, command: ["true"], timeout: 30s}]
                variants:
                  matrix:
                    init: ["", rdinit=/lab-no-such-init]
                """);
        Path runs = dir.resolve("runs");
        VmIT.Cli run = VmIT.cli("run", plan.toString(), "--host", VM, "--runs", runs.toString());
        Path runDir = VmIT.onlyChild(runs);
        assertEquals(1, run.exit(), run.all());
        JsonNode manifest = manifest(runDir);
        JsonNode iterations = manifest.get("iterations");
        assertEquals(2, iterations.size(), iterations.toPrettyString());
        assertEquals("ok", iterations.get(0).get("status").asText(), iterations.toPrettyString());
        JsonNode untestable = iterations.get(1);
        assertEquals("untestable", untestable.get("status").asText(), untestable.toPrettyString());
        assertTrue(untestable.get("error").asText().contains("Kernel panic"), untestable.toPrettyString());
        JsonNode boots = manifest.get("hosts").get(0).get("boots");
        assertEquals(List.of("untestable", "default"), List.of(boots.get(0).get("outcome").asText(),
                boots.get(1).get("outcome").asText()), boots.toPrettyString());
        assertTrue(Files.readString(runDir.resolve(boots.get(0).get("console").asText())).contains("Kernel panic"));
        assertTrue(manifest.get("hosts").get(0).get("problems").toString().contains("untestable"), manifest.toString());
        assertEquals(own[0] + " " + own[1], String.join(" ", observe()));
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    // --- helpers

    private static Path run(Path dir, String playbook, java.util.function.UnaryOperator<String> edit, int exit)
            throws Exception {
        Path plan = dir.resolve(playbook + ".yaml");
        Files.writeString(plan, edit.apply(Files.readString(Prerequisites.repoRoot().resolve("playbooks/" + playbook + ".yaml"))));
        Path runs = dir.resolve("runs");
        VmIT.Cli run = VmIT.cli("run", plan.toString(), "--host", VM, "--runs", runs.toString());
        Path runDir = VmIT.onlyChild(runs);
        assertEquals(exit, run.exit(), run.all() + "\n" + Files.readString(runDir.resolve("manifest.json")));
        return runDir;
    }

    /** The run's manifest, validated against manifest.schema.json. */
    private static JsonNode manifest(Path runDir) throws Exception {
        return RunResults.single(runDir.getParent()).manifest();
    }

    private static JsonNode iteration(JsonNode manifest, String point) {
        for (JsonNode it : manifest.get("iterations")) {
            if (it.get("variant").get("point").asText().equals(point)) {
                return it;
            }
        }
        throw new AssertionError("no iteration with point " + point + ": " + manifest);
    }

    private static JsonNode metrics(Path runDir, JsonNode iteration) throws Exception {
        assertEquals("ok", iteration.get("status").asText(), iteration.toPrettyString());
        return Json.mapper().readTree(runDir.resolve(iteration.get("artifacts").get("metrics").asText()).toFile());
    }

    private static long count(Path trace, java.util.function.Predicate<String> line) throws Exception {
        try (Stream<String> lines = Files.lines(trace, StandardCharsets.ISO_8859_1)) {
            return lines.filter(line).count();
        }
    }

    private static String workerPid(Path trace, String comm) throws Exception {
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(comm) + "-(\\d+)\\s");
        try (Stream<String> lines = Files.lines(trace, StandardCharsets.ISO_8859_1)) {
            return lines.map(p::matcher).filter(java.util.regex.Matcher::find).map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new AssertionError("no event from " + comm + " in " + trace));
        }
    }

    private static long value(String out, String key) {
        return out.lines().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1).strip())
                .mapToLong(Long::parseLong).findFirst().orElseThrow(() -> new AssertionError(key + " missing in " + out));
    }

    /** The guest's {@code uname -r} and {@code /proc/cmdline} now. */
    private static String[] observe() throws Exception {
        try (Transport guest = guest()) {
            ExecResult r = guest.exec("uname -r; cat /proc/cmdline", SHORT);
            assertTrue(r.ok(), r.stderr());
            return r.stdout().strip().split("\n", 2);
        }
    }

    private static Transport guest() throws Exception {
        HostSpec spec = VmIT.registry.inventory().host(VM).orElseThrow();
        return new Transports(VmIT.registry.inventory(), false).open(spec);
    }

    /** The first 64 instructions of shrink_slab as the guest's kernel has them now. */
    private static List<Instruction> shrinkSlabText() throws Exception {
        try (Transport guest = guest()) {
            return KernelText.read(guest, KernelText.locate(guest, "shrink_slab", 0), 64);
        }
    }

    /**
     * The module lab cross-built for the guest's running kernel (test 1 built it; the cache keeps it, and modules of
     * the other kernels the boot tests ran, told apart by their vermagic).
     */
    private static Path builtModule(String name) throws Exception {
        Path modules = LabHome.fromEnvironment().cache().resolve("modules");
        String vermagic = "vermagic=" + observe()[0] + " ";
        try (Stream<Path> files = Files.walk(modules)) {
            return files.filter(p -> p.getFileName().toString().equals(name + ".ko"))
                    .filter(p -> {
                        try {
                            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).contains(vermagic);
                        } catch (java.io.IOException e) {
                            return false;
                        }
                    })
                    .max(java.util.Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new AssertionError("no " + name + ".ko under " + modules));
        }
    }

    private static String words(List<Instruction> instructions) {
        return String.join(" ", instructions.stream().map(Instruction::hex).toList());
    }
}
