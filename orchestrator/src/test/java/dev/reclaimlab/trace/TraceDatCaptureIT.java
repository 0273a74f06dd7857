package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.testing.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * trace.dat from a real capture of this machine's kernel, checked by the real readers: a tracefs instance of the
 * test's own records sched_switch, vmscan and kmalloc while dd fills a file in a small memory cgroup (reclaim), its
 * pages are read from trace_pipe_raw with dd as {@code lab run} does, and trace-cmd must report every event the
 * kernel says was read, with symbols and comms resolved; KernelShark must open the file. And trace-cmd's own v6 files
 * go through the reader and the writer unchanged.
 */
class TraceDatCaptureIT {
    private static final String[] EVENTS = {"sched/sched_switch", "vmscan", "kmem/kmalloc"};
    private static final Pattern READ_EVENTS = Pattern.compile("(?m)^read events: (\\d+)$");
    /** A kmalloc whose call site was named from kallsyms, not printed as an address. */
    private static final Pattern NAMED_CALL_SITE = Pattern.compile("call_site=[A-Za-z_][A-Za-z0-9_.]*\\+0x[0-9a-f]+");

    @TempDir
    Path dir;
    private final String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    private final List<String> undo = new ArrayList<>();
    private Path tracefs;

    @BeforeEach
    void tracefs() throws Exception {
        Prerequisites.requireRootWithMemoryCgroups();
        Prerequisites.require("trace-cmd");
        Path mounted = mountedTracefs();
        if (mounted == null) {
            // not mounted on this machine: a mount of our own, undone afterwards
            mounted = Files.createDirectories(dir.resolve("tracefs"));
            sh("mount -t tracefs nodev " + mounted);
            undo.add(0, "umount " + mounted);
        }
        tracefs = mounted;
    }

    @AfterEach
    void undo() throws Exception {
        List<String> failed = new ArrayList<>();
        for (String command : undo) {
            Result result = run(List.of("sh", "-c", command), null);
            if (result.exit() != 0) {
                failed.add(command + ": " + result.err());
            }
        }
        assertEquals(List.of(), failed, "cleanup");
    }

    @Test
    void aRealCaptureWithReclaimReadsInTraceCmdEventForEventAndOpensInKernelShark() throws Exception {
        Path iteration = capture();
        RawCapture capture = RawCapture.fromIteration(iteration);
        HeaderPage layout = HeaderPage.require(capture.headerPage());
        Path dat = dir.resolve("trace.dat");

        TraceDatWriter.Written written = TraceDat.writeIteration(iteration, dat);

        assertEquals(Map.of(), written.leftOut(), "dd read whole pages");
        String report = TraceCmd.report(dat);
        int cpus = perCpuDirs(tracefs).size();
        assertTrue(report.startsWith("cpus=" + cpus + "\n"), report.lines().findFirst().orElse(""));
        List<TraceCmd.Line> lines = TraceCmd.events(report);

        // the witness: the test's own walk over the raw pages, and the kernel's count of events read
        Map<Integer, String> names = PageWalker.names(capture.formats().values());
        Map<String, Integer> walked = new TreeMap<>();
        long readByKernel = 0;
        for (RawCapture.CpuData cpu : capture.cpus()) {
            PageWalker.countByType(cpu.pages().file(), layout)
                    .forEach((id, n) -> walked.merge(names.getOrDefault(id, "#" + id), n, Integer::sum));
            readByKernel += readEvents(iteration, cpu.cpu());
        }
        assertTrue(readByKernel > 0, "the capture holds events");
        assertEquals(walked, TraceCmd.countByEvent(lines));
        assertEquals(readByKernel, lines.size(), "the kernel's 'read events', all CPUs");
        assertTrue(walked.keySet().stream().anyMatch(e -> e.startsWith("mm_vmscan_")), "reclaim was traced: " + walked);
        for (RawCapture.CpuData cpu : capture.cpus()) {
            if (cpu.pages().length() > 0) {
                assertTrue(lines.stream().anyMatch(l -> l.cpu() == cpu.cpu()), "CPU " + cpu.cpu() + " in the report");
            }
        }
        assertTrue(lines.stream().anyMatch(l -> l.event().equals("kmalloc")
                && NAMED_CALL_SITE.matcher(l.text()).find()), "a %pS call site named from kallsyms");
        assertTrue(lines.stream().anyMatch(l -> l.comm().equals("dd") && !l.event().equals("sched_switch")),
                "dd's events carry its comm, from saved_cmdlines (only sched_switch has comms of its own)");
        String stat = TraceCmd.run(dir, "report", "--stat", "-i", dat.toString()).out();
        assertTrue(stat.contains("CPU: 0\nentries: 0"), stat);
        System.out.printf("real capture: %d events on %d CPUs, %d bytes of pages: %s%n", lines.size(), cpus,
                written.pageBytes(), walked);

        kernelSharkOpens(dat);
    }

    @Test
    void traceCmdsOwnVersionSixFileComesBackThroughReaderAndWriterUnchanged() throws Exception {
        Path recorded = dir.resolve("recorded.dat");
        traceCmdRecord(recorded);
        String original = TraceCmd.report(recorded);

        Path rewritten = dir.resolve("rewritten.dat");
        TraceDat.write(TraceDat.read(recorded), rewritten);

        assertTrue(TraceCmd.events(original).size() > 10, original);
        assertEquals(original, TraceCmd.report(rewritten));
        System.out.printf("round trip: %d events identical%n", TraceCmd.events(original).size());
    }

    @Test
    void versionSevenIsRefusedWithACommandThatConverts() throws Exception {
        Path v6 = dir.resolve("recorded.dat");
        traceCmdRecord(v6);
        Path v7 = dir.resolve("v7.dat");
        assertEquals(0, TraceCmd.run(dir, "convert", "--file-version", "7", "-i", v6.toString(), "-o",
                v7.toString()).exit());

        String message = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> TraceDat.read(v7))
                .getMessage();

        Matcher command = Pattern.compile("Convert it: (trace-cmd convert .*?) \\(").matcher(message);
        assertTrue(command.find(), message);
        // the advice works as given
        Result converted = run(List.of("sh", "-c", command.group(1)), dir);
        assertEquals(0, converted.exit(), converted.err());
        Path back = Path.of(v7 + ".v6");
        TraceDat.write(TraceDat.read(back), dir.resolve("again.dat"));
        assertEquals(TraceCmd.report(v6), TraceCmd.report(dir.resolve("again.dat")));
    }

    /** An iteration folder as {@code lab run} collects it, from a tracefs instance of the test's own. */
    private Path capture() throws Exception {
        Path instance = tracefs.resolve("instances/lab-dat-test-" + suffix);
        Files.createDirectory(instance);
        undo.add(0, "echo 0 > " + instance + "/tracing_on; rmdir " + instance);
        write(instance.resolve("buffer_size_kb"), "4096");
        write(instance.resolve("options/overwrite"), "0"); // a full buffer drops new events, never read ones
        for (String event : EVENTS) {
            write(instance.resolve("events/" + event + "/enable"), "1");
        }
        write(instance.resolve("tracing_on"), "1");
        reclaim();
        write(instance.resolve("tracing_on"), "0");

        Path iteration = dir.resolve("iteration");
        Path raw = Files.createDirectories(iteration.resolve(RunLayout.RAW));
        int pageSize = HeaderPage.require(read(tracefs.resolve("events/header_page"))).pageSize();
        for (Path cpu : perCpuDirs(instance)) {
            String name = cpu.getFileName().toString();
            // one page per read: a smaller count would cut pages short (see docs); nonblock ends at the drained buffer
            Result dd = run(List.of("dd", "if=" + cpu.resolve("trace_pipe_raw"), "of=" + raw.resolve(name),
                    "bs=" + pageSize, "iflag=nonblock"), null);
            assertTrue(dd.exit() == 0 || dd.err().contains("Resource temporarily unavailable"), dd.err());
            Files.createDirectories(raw.resolve("stats"));
            copy(cpu.resolve("stats"), raw.resolve("stats/" + name));
        }
        copy(tracefs.resolve("events/header_page"), raw.resolve("header_page"));
        copy(tracefs.resolve("events/header_event"), raw.resolve("header_event"));
        copy(Path.of("/proc/kallsyms"), raw.resolve("kallsyms"));
        copy(tracefs.resolve("saved_cmdlines"), raw.resolve("saved_cmdlines"));
        copy(instance.resolve("trace_clock"), raw.resolve("trace_clock"));
        write(raw.resolve("byte_order"), "little");
        try (var enabled = Files.walk(instance.resolve("events"), 2)) {
            for (Path event : enabled.filter(e -> Files.isRegularFile(e.resolve("enable"))
                    && Files.isRegularFile(e.resolve("format"))).toList()) {
                if (read(event.resolve("enable")).strip().equals("1")) {
                    Path target = iteration.resolve(RunLayout.FORMATS).resolve(event.getParent().getFileName())
                            .resolve(event.getFileName() + ".format");
                    Files.createDirectories(target.getParent());
                    copy(event.resolve("format"), target);
                }
            }
        }
        return iteration;
    }

    /** 200 MB through the page cache of a memory cgroup limited to 64 MB: the cgroup reclaims (at 32 MB, dd was now and then OOM-killed). */
    private void reclaim() throws Exception {
        Path v2 = Path.of("/sys/fs/cgroup/cgroup.controllers");
        boolean unified = Files.exists(v2) && Files.readString(v2).contains("memory");
        Path cgroup = Path.of(unified ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory", "lab-dat-test-" + suffix);
        String limitFile = unified ? "memory.max" : "memory.limit_in_bytes";
        Files.createDirectory(cgroup);
        undo.add(0, "rmdir " + cgroup);
        write(cgroup.resolve(limitFile), String.valueOf(64 << 20));
        Path fill = dir.resolve("fill");
        Result dd = run(List.of("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec dd if=/dev/zero of="
                + fill + " bs=1M count=200"), null);
        assertEquals(0, dd.exit(), dd.err());
        Files.delete(fill);
    }

    /**
     * {@code trace-cmd record --file-version 6} of a second of sched_switch, in a mount namespace of its own: there,
     * files this sandbox forbids (function-tracer filters, {@code ftrace_enabled}) are covered with plain files, which
     * on a normal machine changes nothing, and whatever trace-cmd mounts vanishes with the namespace.
     */
    private void traceCmdRecord(Path out) throws Exception {
        // record uses the top-level buffer and leaves it off and shrunk: put back what it found
        Path top = tracefs;
        String tracingOn = read(top.resolve("tracing_on")).strip();
        String bufferKb = read(top.resolve("buffer_size_kb")).strip().split(" ")[0];
        undo.add(0, "echo " + bufferKb + " > " + top.resolve("buffer_size_kb") + "; echo " + tracingOn + " > "
                + top.resolve("tracing_on"));
        Path fakes = Files.createDirectories(dir.resolve("fakes"));
        String script = "set -e\n"
                + "echo 1 > " + fakes + "/ftrace_enabled\n"
                + "mount --bind " + fakes + "/ftrace_enabled /proc/sys/kernel/ftrace_enabled\n"
                + "for d in $(awk '$3 == \"tracefs\" {print $2}' /proc/mounts); do\n"
                + "  for f in set_ftrace_pid set_ftrace_filter set_ftrace_notrace set_ftrace_notrace_pid; do\n"
                + "    [ -e \"$d/$f\" ] || continue\n"
                + "    : > " + fakes + "/$f; mount --bind " + fakes + "/$f \"$d/$f\"\n"
                + "  done\n"
                + "done\n"
                + "exec trace-cmd record --file-version 6 -e sched:sched_switch -o " + out + " sleep 1\n";
        Result record = run(List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script), dir);
        assertEquals(0, record.exit(), record.out() + record.err());
    }

    /**
     * KernelShark under Xvfb, as a user (as root it opens a dialog first): still running after 10 s without an ERROR
     * line means it opened the file (one it cannot open gives {@code ERROR: ... contains no data}, or a crash).
     */
    private void kernelSharkOpens(Path dat) throws Exception {
        Prerequisites.require("kernelshark");
        Prerequisites.require("xvfb-run");
        Path shared = Files.createTempDirectory(Path.of("/tmp"), "lab-dat-test-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        try {
            Path good = Files.copy(dat, shared.resolve("trace.dat"));
            Path cut = shared.resolve("cut.dat");
            try (InputStream in = Files.newInputStream(dat); OutputStream o = Files.newOutputStream(cut)) {
                o.write(in.readNBytes((int) Math.min(Files.size(dat) / 2, Integer.MAX_VALUE - 8)));
            }
            for (Path file : List.of(good, cut)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Result opened = kernelShark(good, shared);
            String said = opened.out() + opened.err();
            assertEquals(124, opened.exit(), "KernelShark ended early: " + said);
            assertTrue(said.contains("Loading") && !said.contains("ERROR"), said);
            // the control: a file cut short must not pass the same way (KernelShark says ERROR, or crashes)
            Result broken = kernelShark(cut, shared);
            assertTrue(broken.exit() != 124 || (broken.out() + broken.err()).contains("ERROR"),
                    "a cut file looked open too, so the smoke test would prove nothing: " + broken);
        } finally {
            dev.reclaimlab.local.Trees.delete(shared);
        }
    }

    private Result kernelShark(Path file, Path home) throws Exception {
        return run(List.of("timeout", "10", "runuser", "-u", "nobody", "--", "env", "HOME=" + home,
                "xvfb-run", "-a", "kernelshark", file.toString()), home);
    }

    private static long readEvents(Path iteration, int cpu) throws IOException {
        Matcher m = READ_EVENTS.matcher(Files.readString(iteration.resolve(RunLayout.RAW).resolve("stats/cpu" + cpu)));
        assertTrue(m.find(), "no 'read events:' in CPU " + cpu + "'s stats");
        return Long.parseLong(m.group(1));
    }

    private static List<Path> perCpuDirs(Path instance) throws IOException {
        try (var cpus = Files.list(instance.resolve("per_cpu"))) {
            return cpus.sorted().toList();
        }
    }

    private static Path mountedTracefs() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
            String[] fields = line.split(" ");
            if (fields.length > 2 && fields[2].equals("tracefs")) {
                return Path.of(fields[1]);
            }
        }
        return null;
    }

    /** Reads to the end: tracefs and /proc files report size 0, so a size-based copy would copy nothing. */
    private static void copy(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
            in.transferTo(out);
        }
    }

    /** The text of a tracefs file, read to its end (Files.readString trusts the size tracefs gives: 0). */
    private static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text + "\n");
    }

    private record Result(int exit, String out, String err) {}

    private static void sh(String command) throws Exception {
        Result result = run(List.of("sh", "-c", command), null);
        assertEquals(0, result.exit(), command + ": " + result.err());
    }

    private static Result run(List<String> command, Path cwd) throws Exception {
        Path out = Files.createTempFile("lab-dat-test", ".out");
        Path err = Files.createTempFile("lab-dat-test", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (cwd != null) {
                builder.directory(cwd.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not end in 5 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
