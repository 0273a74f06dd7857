package dev.reclaimlab.trace;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.plan.TraceEvent;
import dev.reclaimlab.plan.TracingSpec;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.testing.LibShRunner;
import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.units.Size;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binary capture's steps on this machine's real tracefs, under dash with coreutils and under busybox sh with
 * busybox's dd (what lab vm guests have): a reader per CPU copies whole pages, the stop leaves every buffer empty and
 * no reader running, the metadata decoding needs is saved, and the teardown puts saved_cmdlines_size back and
 * removes the instance.
 */
class BinaryCaptureIT {
    static final Path TRACEFS = Path.of("/sys/kernel/tracing");

    @TempDir
    Path dir;

    @BeforeAll
    static void root() {
        Prerequisites.requireRootWithMemoryCgroups();
    }

    @ParameterizedTest
    @EnumSource(LibShRunner.Kind.class)
    void eachCpusPagesAreCopiedWholeAndTheBuffersAreLeftEmpty(LibShRunner.Kind kind) throws Exception {
        boolean mounted = Files.exists(TRACEFS.resolve("instances"));
        String runId = "capture-it-" + HexFormat.of().formatHex(new byte[] {(byte) ThreadLocalRandom.current()
                .nextInt()});
        HostLayout layout = HostLayout.of(runId, dir.resolve("base").toString(), "/sys/fs/cgroup", TRACEFS.toString());
        TracingSpec spec = new TracingSpec(List.of(event("sched", "sched_switch"), event("sched", "sched_process_exec"),
                event("vmscan", "mm_vmscan_lru_shrink_inactive")), TracingSpec.Capture.BINARY,
                Optional.of(Size.parse("1M")));
        int cpus = Runtime.getRuntime().availableProcessors();
        TraceSteps steps = new TraceSteps(layout, spec, TraceBuffer.choose(spec, 1L << 30, cpus), cpus);
        Path iteration = dir.resolve("iteration");
        Files.createDirectories(iteration);
        LibShRunner shell = new LibShRunner(kind, dir);
        String sizeBefore = mounted ? Files.readString(TRACEFS.resolve("saved_cmdlines_size")) : null;
        try {
            if (!mounted) {
                shell.step(TraceSteps.mount(TRACEFS.toString())).ok();
            }
            for (Step step : steps.setup(iteration.toString())) {
                shell.step(step).ok();
            }
            int kept = Integer.parseInt(Files.readString(TRACEFS.resolve("saved_cmdlines_size")).strip());
            assertTrue(kept >= TraceSteps.SAVED_CMDLINES, "saved_cmdlines_size raised, never lowered: " + kept);
            shell.step(steps.start(iteration.toString(), "lab: start capture-it")).ok();
            shell.run("i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i + 1)); done").ok(); // execs and switches
            shell.step(steps.stop(iteration.toString())).ok();
        } finally {
            shell.teardown().ok();
        }

        Path raw = iteration.resolve(RunLayout.RAW);
        String headerPage = Files.readString(raw.resolve("header_page"));
        int page = pageSize(headerPage);
        long bytes = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            Path file = raw.resolve("cpu" + cpu);
            assertTrue(Files.isRegularFile(file), "a file for CPU " + cpu);
            long size = Files.size(file);
            assertEquals(0, size % page, "CPU " + cpu + ": whole pages of " + page + " bytes, got " + size);
            bytes += size;
            String stats = Files.readString(raw.resolve("stats/cpu" + cpu));
            assertTrue(stats.contains("entries: 0"), "CPU " + cpu + "'s buffer was left empty:\n" + stats);
        }
        assertTrue(bytes >= page, "some pages were captured");
        assertEquals("little", Files.readString(raw.resolve("byte_order")).strip());
        assertTrue(Files.readString(raw.resolve("trace_clock")).contains("["), "the selected clock");
        assertTrue(Files.readString(raw.resolve("header_event")).contains("type_len"));
        assertTrue(Files.size(raw.resolve("kallsyms")) > 0, "kernel text symbols");
        assertTrue(Files.readString(raw.resolve("saved_cmdlines")).lines().count() > 0, "pid comms");
        assertTrue(Files.isRegularFile(iteration.resolve(RunLayout.format("ftrace", "print"))), "the marker's format");
        assertTrue(Files.isRegularFile(iteration.resolve(RunLayout.format("sched", "sched_switch"))));
        assertFalse(Files.exists(iteration.resolve(RunLayout.TRACE)), "no text capture beside the binary one");
        assertEquals(cpus, Files.readAllLines(iteration.resolve(RunLayout.TRACE_STATS)).size());

        assertEquals(List.of(), readersStillRunning(raw), "no reader left running");
        assertFalse(Files.exists(TRACEFS.resolve("instances/lab-" + runId)), "the instance is gone");
        if (sizeBefore != null) {
            assertEquals(sizeBefore, Files.readString(TRACEFS.resolve("saved_cmdlines_size")),
                    "saved_cmdlines_size as it was");
        }
        assertEquals(mounted, Files.exists(TRACEFS.resolve("instances")), "tracefs mounted as it was");
    }

    private static TraceEvent event(String system, String name) {
        return new TraceEvent(system, name, null);
    }

    /** header_page's data offset plus data size. */
    static int pageSize(String headerPage) {
        for (String line : headerPage.split("\n")) {
            if (line.contains("char data;")) {
                int offset = Integer.parseInt(line.replaceAll(".*offset:(\\d+);.*", "$1"));
                int size = Integer.parseInt(line.replaceAll(".*size:(\\d+);.*", "$1"));
                return offset + size;
            }
        }
        throw new AssertionError("no data field in header_page:\n" + headerPage);
    }

    /** Processes whose command line names a file in {@code raw}. */
    private static List<String> readersStillRunning(Path raw) throws Exception {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmdline.contains(raw.toString())) {
                        found.add(p.getFileName() + ": " + cmdline);
                    }
                } catch (java.io.IOException gone) {
                    // ended while we looked
                }
            }
        }
        return found;
    }
}
