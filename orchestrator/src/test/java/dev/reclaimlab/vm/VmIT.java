package dev.reclaimlab.vm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.run.RunResults;
import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.testing.TraceText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code lab vm} end to end, as a user runs it: a real Debian arm64 kernel under qemu-system-aarch64 (TCG), the
 * memcg storm playbook run against it over SSH (dropbear, busybox sh), the guest left clean, a nokmem boot recorded
 * in the host facts, a panicking boot reported with its console, and no QEMU left after {@code lab vm down}.
 *
 * <p>The VMs live in the failsafe run's own {@code LAB_HOME} (target/it-lab-home); the guest cache there is kept
 * between runs, the VMs are stopped and deleted in {@link #removeVms()} whatever happened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VmIT {
    static final String VM = "it-arm";
    static final String PANIC_VM = "it-panic";
    static VmRegistry registry;

    @BeforeAll
    static void prerequisites() throws Exception {
        if (registry != null) {
            return; // another VM test class got here first
        }
        List<HostTools.Missing> missing = HostTools.missing();
        if (!missing.isEmpty()) {
            try {
                HostTools.report(missing);
            } catch (VmException e) {
                fail("the VM tests need an arm64-capable QEMU and Debian's arm64 packages (scripts/test installs "
                        + "them):\n" + e.getMessage());
            }
        }
        String home = System.getenv("LAB_HOME");
        if (home == null || home.isBlank()) {
            fail("LAB_HOME is not set; run the integration tests through Maven (failsafe sets it to "
                    + "target/it-lab-home) so they never touch your own VMs");
        }
        registry = VmRegistry.fromEnvironment();
    }

    @AfterAll
    static void removeVms() throws Exception {
        if (registry == null) {
            return;
        }
        Vms vms = new Vms(registry, line -> { });
        for (String name : registry.names()) {
            vms.delete(name); // stops QEMU first
        }
    }

    /** Stops and deletes a VM a test class made, if it got as far as registering one. */
    static void deleteIfRegistered(String vm) throws Exception {
        if (registry != null && registry.names().contains(vm)) {
            new Vms(registry, line -> { }).delete(vm);
        }
    }

    @Test
    @Order(1)
    void theMemcgStormPlaybookRunsOnARealArm64KernelAndLeavesTheGuestClean(@TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        Cli up = cli("vm", "up", "--name", VM);
        assertEquals(0, up.exit(), up.all());
        double upSeconds = (System.nanoTime() - started) / 1e9;
        VmRecord record = registry.record(VM).orElseThrow();
        assertTrue(record.release().endsWith("-arm64"), record.toString());
        assertEquals("cortex-a57", record.cpu());
        assertTrue(registry.runningPid(VM).isPresent());

        // 10 pods instead of 40: the same storm shape, in a fraction of the time under TCG emulation.
        Path plan = dir.resolve("memcg-storm.yaml");
        String playbook = Files.readString(Prerequisites.repoRoot().resolve("playbooks/memcg-storm.yaml"));
        assertTrue(playbook.contains("pods: 40"), "the playbook's pods parameter moved; adjust this test");
        Files.writeString(plan, playbook.replace("pods: 40", "pods: 10"));
        Path runs = dir.resolve("runs");
        long runStarted = System.nanoTime();
        Cli run = cli("run", plan.toString(), "--host", VM, "--runs", runs.toString());
        double runSeconds = (System.nanoTime() - runStarted) / 1e9;
        System.out.printf("vm up %.1fs, memcg-storm (10 pods) %.1fs%n", upSeconds, runSeconds);

        Path runDir = onlyChild(runs);
        JsonNode manifest = RunResults.single(runs).manifest(); // validated against manifest.schema.json
        assertEquals(0, run.exit(), run.all() + "\n" + manifest.toPrettyString());
        JsonNode host = manifest.get("hosts").get(0);
        assertEquals(VM, host.get("name").asText());
        assertTrue(host.get("kernel").asText().endsWith("-arm64"), host.toString());
        assertEquals("complete", host.get("teardown").asText());

        JsonNode facts = Json.mapper().readTree(runDir.resolve(host.get("facts").asText()).toFile());
        assertEquals("aarch64", facts.get("machine").asText());
        assertEquals(2, facts.get("memory_cgroup_version").asInt());
        assertFalse(facts.get("nokmem").asBoolean());

        JsonNode iteration = manifest.get("iterations").get(0);
        assertEquals("ok", iteration.get("status").asText(), iteration.toPrettyString());
        Path trace = TraceText.of(runDir.resolve(iteration.get("artifacts").get("trace").asText()));
        long begins;
        try (Stream<String> lines = Files.lines(trace, StandardCharsets.ISO_8859_1)) {
            begins = lines.filter(l -> l.contains("mm_vmscan_memcg_reclaim_begin:")).count();
        }
        assertTrue(begins > 0, "memcg reclaim events in " + trace);
        JsonNode metrics = Json.mapper().readTree(runDir.resolve(iteration.get("artifacts").get("metrics").asText())
                .toFile());
        assertTrue(metrics.path("event_counts").path("mm_vmscan_memcg_reclaim_begin").asLong() > 0,
                "the analysis counted memcg reclaims: " + metrics.path("event_counts"));
        for (JsonNode copy : iteration.get("workloads")) {
            assertEquals(0, copy.get("exit").asInt(), "workload copy " + copy);
        }

        // The console log lives with the VM and is linked from the run.
        assertEquals("hosts/" + VM + "/console.log", host.get("console").asText());
        assertTrue(Files.readString(runDir.resolve(host.get("console").asText())).contains("Linux version"));

        assertEquals(List.of(), guestResidue(), "the guest must be left as found");
    }

    /**
     * Commands from three threads on one transport, as a run's steps and its teardown on Ctrl-C share one. dropbear
     * 2022.83 closes a channel it has just opened when another command of its connection exits in the same instant;
     * an exec crossing that close runs on a dead channel and its first output ends the whole connection. The transport
     * therefore gives each concurrent command its own connection to such a server: every command here runs and prints
     * what it should, nothing waits, and the bystander lives. Large outputs read slowly run alongside: sshj used to
     * send window adjustments for them after their channel's close, which dropbear also ends the connection for.
     */
    @Test
    @Order(2)
    void commandsFromTwoThreadsAndSlowlyReadOutputsShareOneConnectionToDropbear() throws Exception {
        if (registry.runningPid(VM).isEmpty()) { // run on its own
            assertEquals(0, cli("vm", "up", "--name", VM).exit());
        }
        HostSpec spec = registry.inventory().host(VM).orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Transport guest = new Transports(registry.inventory(), false).open(spec)) {
            assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
                Future<ExecResult> bystander = pool.submit(() -> guest.exec("sleep 20; echo alive",
                        Duration.ofMinutes(3)));
                Future<Integer> quick = pool.submit(() -> {
                    int ran = 0;
                    for (int i = 0; i < 150; i++) {
                        ExecResult r = guest.exec("echo " + i, Duration.ofMinutes(1));
                        assertEquals("" + i, r.stdout().strip(), r.stderr());
                        ran++;
                    }
                    return ran;
                });
                // Sizes spread over the channel window (2 MiB) so the server's close meets a buffer in every state.
                for (int i = 0; i < 12; i++) {
                    long size = 2L * 1024 * 1024 + i * 171_001L;
                    SlowCounter sink = new SlowCounter();
                    ExecResult r = guest.execToStream("head -c " + size + " /dev/zero", sink, Duration.ofMinutes(2));
                    assertEquals(0, r.exitCode(), r.stderr());
                    assertEquals(size, sink.count, "bytes of download " + i);
                }
                assertEquals(150, quick.get(3, TimeUnit.MINUTES));
                ExecResult alive = bystander.get(3, TimeUnit.MINUTES);
                assertEquals(0, alive.exitCode(), alive.stderr());
                assertEquals("alive", alive.stdout().strip());
            });
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counts bytes, pausing on every write: a consumer that lags the connection, as a busy disk does. */
    private static final class SlowCounter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count += len;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
        }
    }

    @Test
    @Order(3)
    void aVmBootedWithNokmemSaysSoInItsHostFacts(@TempDir Path dir) throws Exception {
        assertEquals(0, cli("vm", "down", "--name", VM).exit());
        long started = System.nanoTime();
        Cli up = cli("vm", "up", "--name", VM, "--cmdline", "cgroup.memory=nokmem");
        assertEquals(0, up.exit(), up.all());
        System.out.printf("warm vm up (nokmem) %.1fs%n", (System.nanoTime() - started) / 1e9);
        assertFalse(up.err().contains("downloaded"), "a warm start downloads nothing:\n" + up.err());
        Cli same = cli("vm", "up", "--name", VM);
        assertEquals(0, same.exit(), same.all());
        assertTrue(same.out().contains("already running"), same.out());
        Cli other = cli("vm", "up", "--name", VM, "--cpus", "1");
        assertEquals(2, other.exit(), other.all());
        assertTrue(other.err().contains("lab vm down --name " + VM), other.err());

        HostSpec spec = registry.inventory().host(VM).orElseThrow();
        assertEquals("cgroup.memory=nokmem", ((HostKind.Vm) spec.kind()).settings().cmdline());
        assertEquals(VmRegistry.WORKDIR, spec.workdir());

        Path runs = dir.resolve("runs");
        Cli run = cli("run", resource("tiny-memcg.yaml").toString(), "--host", VM, "--runs", runs.toString());
        assertEquals(0, run.exit(), run.all());
        Path runDir = onlyChild(runs);
        JsonNode facts = Json.mapper().readTree(runDir.resolve("hosts/" + VM + "/facts.json").toFile());
        assertTrue(facts.get("nokmem").asBoolean(), facts.toPrettyString());
        assertTrue(facts.get("cmdline").asText().contains("cgroup.memory=nokmem"), facts.get("cmdline").asText());
        assertEquals(List.of(), guestResidue());
    }

    @Test
    @Order(4)
    void vmDownLeavesNoQemuAndRunsSayTheVmIsDown(@TempDir Path dir) throws Exception {
        long pid = registry.runningPid(VM).orElseThrow();
        Cli down = cli("vm", "down", "--name", VM);
        assertEquals(0, down.exit(), down.all());
        assertTrue(down.out().contains("stopped"), down.out());
        assertFalse(ProcessHandle.of(pid).map(QemuProcess::alive).orElse(false), "QEMU pid " + pid + " still runs");
        assertEquals(List.of(), qemuProcessesOf(registry.home()));
        Cli list = cli("vm", "list");
        assertTrue(list.out().matches("(?s).*" + VM + "\\s+stopped.*"), list.out());

        Cli run = cli("run", resource("tiny-memcg.yaml").toString(), "--host", VM, "--runs", dir.toString());
        assertEquals(1, run.exit(), run.all());
        assertTrue(run.err().contains("lab vm up --name " + VM), run.err());
        Cli again = cli("vm", "down", "--name", VM);
        assertEquals(0, again.exit());
        assertTrue(again.out().contains("was not running"), again.out());
    }

    @Test
    @Order(5)
    void aKernelThatPanicsIsReportedWithItsConsoleAndStopped() throws Exception {
        // No init where the kernel looks for one and no root disk: the kernel panics right after its boot messages.
        Cli up = cli("vm", "up", "--name", PANIC_VM, "--cmdline", "rdinit=/lab-no-such-init root=/dev/lab-none",
                "--boot-timeout", "120");
        assertEquals(1, up.exit(), up.all());
        assertTrue(up.err().contains("Kernel panic"), up.err());
        assertTrue(up.err().contains("console log"), up.err());
        assertTrue(registry.runningPid(PANIC_VM).isEmpty());
        assertEquals(List.of(), qemuProcessesOf(registry.home()));
    }

    /** What lab left in the guest (see guest-residue.sh); empty when clean. */
    private static List<String> guestResidue() throws Exception {
        return guestResidue(VM);
    }

    static List<String> guestResidue(String vm) throws Exception {
        HostSpec spec = registry.inventory().host(vm).orElseThrow();
        try (Transport guest = new Transports(registry.inventory(), false).open(spec)) {
            ExecResult r = guest.exec(Files.readString(resource("guest-residue.sh")), Duration.ofMinutes(1));
            assertTrue(r.ok(), r.stderr());
            return r.stdout().lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** QEMU processes whose command line points into {@code home} (this test's VMs). */
    static List<String> qemuProcessesOf(LabHome home) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                            .replace('\0', ' ');
                    if (cmdline.contains("qemu-system-aarch64") && cmdline.contains(home.root().toString())) {
                        found.add(p.getFileName() + ": " + cmdline);
                    }
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        }
        return found;
    }

    private static Path resource(String name) {
        return Path.of("src/test/resources/vm").resolve(name).toAbsolutePath();
    }

    static Path onlyChild(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> all = children.filter(Files::isDirectory).toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    record Cli(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs lab in this JVM, capturing what it prints. */
    static synchronized Cli cli(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(o, out), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(e, err), true, StandardCharsets.UTF_8));
        try {
            int exit = LabCommand.execute(args);
            return new Cli(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Keeps what lab prints in the test's log too (failsafe redirects it to a file per test class). */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int x) throws IOException {
            a.write(x);
            b.write(x);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }
    }
}
