package dev.reclaimlab.analysis;

import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.trace.CpuRecords;
import dev.reclaimlab.trace.EventLayout;
import dev.reclaimlab.trace.HeaderPage;
import dev.reclaimlab.trace.MergedRecords;
import dev.reclaimlab.trace.RawCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The acceptance test of the binary decoder, on a real capture of this machine: a reclaim storm in a memory cgroup of
 * 32 MB, traced in a tracefs instance of the test's own (src/test/resources/capture/capture-raw.sh), its per-CPU
 * trace_pipe_raw pages read as {@code lab run} reads them. The same pages, wrapped in a trace.dat, are decoded by
 * trace-cmd, whose {@code report} is the reference: every record (CPU, time stamp in ns, pid, event) must match ours,
 * in the same order, and the text analysis of that report must give the metrics the binary analysis gives.
 *
 * <p>Needs root, tracefs, memory cgroups and trace-cmd; fails without them (scripts/test installs trace-cmd). Everything it makes on the machine (the
 * instance, the cgroup, the fill file) is removed by the script on any exit, and its files by {@link #cleanUp}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealCaptureTest {
    private static final Path SCRIPT = Path.of("src/test/resources/capture/capture-raw.sh").toAbsolutePath();
    /** {@code comm-pid [cpu] (flags) seconds.nanoseconds: event:} of trace-cmd 3.1 (no flags) and 3.3+ (flags). */
    private static final Pattern REPORT = Pattern.compile(
            "-(\\d+)\\s+\\[(\\d{3})\\]\\s+(?:\\S+\\s+)?(\\d+)\\.(\\d{9}):\\s+(\\S+):");
    private static final Pattern EVENT_PADDING = Pattern.compile("(\\d: [a-z0-9_]+:) +");
    private static final Pattern DROPPED = Pattern.compile("^CPU:(\\d+) \\[(?:(\\d+) )?EVENTS DROPPED\\]");

    /** One capture: its iteration folder, the capture, and trace-cmd's report of it. */
    record Captured(String name, Path dir, RawCapture capture, HeaderPage header, Path report) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Path root;
    private final List<Captured> captures = new ArrayList<>();


    /**
     * Two captures of the same storm: one with 8 MB of ring buffer per CPU, which holds it all; one with 16 KB, which the
     * kernel overwrites many times over, so that its pages report lost events (RB_MISSED_EVENTS with a count).
     */
    @BeforeAll
    void capture() throws Exception {
        Prerequisites.requireRootWithMemoryCgroups();
        Prerequisites.require("trace-cmd");
        Prerequisites.require("unshare");
        root = Files.createTempDirectory("lab-dec-capture");
        captures.add(capture("8 MB buffer", 8192));
        captures.add(capture("16 KB buffer, overwritten", 16));
    }

    private Captured capture(String name, int bufferKb) throws Exception {
        Path dir = Files.createDirectory(root.resolve("buffer-" + bufferKb + "k"));
        run(List.of("unshare", "-m", "sh", SCRIPT.toString(), dir.toString()), null, Map.of("BUFFER_KB", "" + bufferKb));
        RawCapture capture = RawCapture.fromIteration(dir);
        HeaderPage header = HeaderPage.parse(capture.headerPage()).orElseThrow();
        Path dat = dir.resolve("trace.dat");
        dev.reclaimlab.trace.TraceDat.write(capture, dat); // lab's own writer, itself held to trace-cmd by its tests
        Path report = dir.resolve("report.txt");
        // -N: without plugins. trace-cmd's sched_switch plugin names a pid by the comm in a sched_switch record when
        // saved_cmdlines lacks it, so one of its events was once 'ksoftirqd/1' in trace-cmd's text and '<...>' in
        // ours; the reference is the capture's saved_cmdlines alone, as lab reads it.
        run(List.of("trace-cmd", "report", "-N", "-t", "-i", dat.toString()), report, Map.of());
        return new Captured(name, dir, capture, header, report);
    }

    List<Captured> captures() {
        return captures;
    }

    @AfterAll
    void cleanUp() throws IOException {
        if (root != null) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** One record as both sides can say it. */
    record Seen(int cpu, long ts, int pid, String event) {}

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void everyRecordMatchesTraceCmdReportInOrder(Captured c) throws IOException {
        RawCapture capture = c.capture();
        List<Seen> theirs = new ArrayList<>();
        long theirDropped = 0;
        long theirLost = 0;
        for (String line : Files.readAllLines(c.report(), StandardCharsets.ISO_8859_1)) {
            Matcher d = DROPPED.matcher(line);
            if (d.find()) {
                theirDropped++;
                theirLost += d.group(2) == null ? 0 : Long.parseLong(d.group(2));
                continue;
            }
            Matcher m = REPORT.matcher(line);
            if (m.find()) {
                theirs.add(new Seen(Integer.parseInt(m.group(2)),
                        Long.parseLong(m.group(3)) * 1_000_000_000L + Long.parseLong(m.group(4)),
                        Integer.parseInt(m.group(1)), m.group(5)));
            }
        }
        Map<Integer, EventLayout> layouts = EventLayout.byId(capture.formats());
        List<Seen> ours = new ArrayList<>();
        long ourLost = 0;
        long ourLostEvents = 0;
        try (MergedRecords records = new MergedRecords(capture, c.header())) {
            for (CpuRecords.Item item; (item = records.next()) != CpuRecords.Item.END; ) {
                CpuRecords r = records.current();
                if (item == CpuRecords.Item.LOST) {
                    ourLost++;
                    ourLostEvents += Math.max(0, r.lostCount());
                    continue;
                }
                int id = r.buffer().getShort(r.recordOffset()) & 0xffff;
                EventLayout layout = layouts.get(id);
                int pid = (int) layout.field("common_pid").integer(r.buffer(), r.recordOffset(), r.recordLength());
                ours.add(new Seen(r.cpu(), r.timestamp(), pid, layout.name()));
            }
        }
        Map<String, Long> byEvent = new TreeMap<>();
        ours.forEach(s -> byEvent.merge(s.event(), 1L, Long::sum));
        System.out.println(c + ": " + ours.size() + " records " + byEvent + ", lost marks " + ourLost + " ("
                + ourLostEvents + " events)");
        // An overwritten 16 KB buffer keeps only its last pages: 288 to 580 records in runs here, so less is asked of it.
        int least = c == captures.get(0) ? 300 : 100;
        assertTrue(ours.size() > least, "a storm has many events: " + ours.size());
        assertTrue(byEvent.getOrDefault("mm_vmscan_memcg_reclaim_end", 0L) > 0, "memcg reclaim happened: " + byEvent);
        assertEquals(theirDropped, ourLost);
        assertEquals(theirLost, ourLostEvents);
        assertEquals(theirs.size(), ours.size());
        for (int i = 0; i < ours.size(); i++) {
            assertEquals(theirs.get(i), ours.get(i), "record " + i);
        }
    }

    @Test
    void theOverwrittenBufferReportsLostEvents() throws IOException {
        TraceMetrics m = new ReclaimAnalyzer().analyze(captures.get(1).capture());
        // The kernel stores the count only when the page has room for it; a mark without one still says events went.
        assertTrue(m.lost().records() > 0 && (m.lost().events() > 0 || m.lost().unknownRecords() > 0),
                "lost: " + m.lost());
        assertTrue(m.falsifiedByLoss() != null && m.falsifiedByLoss().contains("memcg_reclaim.latency_us"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void binaryAndTextAnalysesOfTheSameEventsAgree(Captured c) throws IOException {
        Path dir = c.dir();
        Path report = c.report();
        TraceMetrics binary = new ReclaimAnalyzer().analyze(c.capture());
        // trace-cmd's report is the text of the same records, in trace_pipe's form but for the event name, which
        // it pads to 20 columns; its format files are the capture's own
        Path pipe = dir.resolve("trace.txt");
        try (Stream<String> lines = Files.lines(report, StandardCharsets.ISO_8859_1)) {
            Files.write(pipe, lines.map(RealCaptureTest::asTracePipe).toList(), StandardCharsets.ISO_8859_1);
        }
        TraceMetrics text = new ReclaimAnalyzer().analyze(pipe, dir.resolve("formats"));

        assertEquals(0, binary.skippedLines(), "nothing in a real capture is damage");
        assertEquals(0, binary.capture().badEvents() + binary.capture().badCommitPages()
                + binary.capture().unknownEventIds());
        assertTrue(binary.memcgReclaim().ends() > 0, "reclaims happened: " + binary.memcgReclaim());
        assertEquals(json(text.eventCounts()), json(binary.eventCounts()));
        assertEquals(text.events(), binary.events());
        assertEquals(json(text.memcgReclaim()), json(binary.memcgReclaim()));
        assertEquals(json(text.directReclaim()), json(binary.directReclaim()));
        assertEquals(json(text.shrinkSlab()), json(binary.shrinkSlab()));
        assertEquals(json(text.lruShrinkInactive()), json(binary.lruShrinkInactive()));
        assertEquals(json(text.perCpuSeconds()), json(binary.perCpuSeconds()));
        if (binary.lost().records() == 0) {
            // With pages overwritten, a pid that exec'd during the capture was once named by its old comm in
            // trace-cmd's text and by its new one in lab's (248 events 'sh' against 'dd'), all else equal.
            assertEquals(json(text.byComm()), json(binary.byComm()));
        }
        assertEquals(text.firstTs(), binary.firstTs());
        assertEquals(text.lastTs(), binary.lastTs());
        assertEquals(text.lostEvents(), binary.lostEvents());
        assertEquals(text.lost().records(), binary.lost().records());
        // when differs by design: the page's time stamp in binary, the event line before it in text
        assertEquals(text.malformed(), binary.malformed());
        assertEquals(text.dropped(), binary.dropped());
    }

    /**
     * A line of trace-cmd's report as trace_pipe prints it: the event name not padded, and lost events as
     * {@code CPU:N [LOST M EVENTS]} rather than {@code CPU:N [M EVENTS DROPPED]}.
     */
    private static String asTracePipe(String line) {
        Matcher d = DROPPED.matcher(line);
        if (d.find()) {
            return "CPU:" + d.group(1) + (d.group(2) == null ? " [LOST EVENTS]" : " [LOST " + d.group(2) + " EVENTS]");
        }
        return EVENT_PADDING.matcher(line).replaceFirst("$1 ");
    }

    private static String json(Object value) throws IOException {
        return dev.reclaimlab.local.Json.mapper().writeValueAsString(value);
    }

    private static void run(List<String> command, Path stdout, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(stdout == null);
        pb.environment().putAll(env);
        if (stdout != null) {
            pb.redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " took more than 2 minutes");
        }
        assertEquals(0, p.exitValue(), command + " failed");
    }
}
