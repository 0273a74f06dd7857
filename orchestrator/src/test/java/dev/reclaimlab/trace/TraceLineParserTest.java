package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Line shapes of real kernels and of damaged files, one by one. */
class TraceLineParserTest {

    /** What a line was read as: kind, comm, pid, cpu, timestamp in ns, event, fields. */
    record Read(LineKind kind, String comm, int pid, int cpu, long ns, String event, String fields) {
        static Read of(String line) {
            return of(line, new TraceLine());
        }

        /** With a TraceLine that has seen other lines: its recent event names are used. */
        static Read of(String line, TraceLine out) {
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            LineKind kind = TraceLineParser.parse(b, 0, b.length, out);
            return kind == LineKind.EVENT
                    ? new Read(kind, out.comm(), out.pid(), out.cpu(), out.timestampNs(), out.event(), out.fields())
                    : new Read(kind, null, 0, 0, 0, null, null);
        }

        static Read general(String line) {
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            TraceLine out = new TraceLine();
            LineKind kind = TraceLineParser.parseGeneral(b, 0, b.length, out);
            return kind == LineKind.EVENT
                    ? new Read(kind, out.comm(), out.pid(), out.cpu(), out.timestampNs(), out.event(), out.fields())
                    : new Read(kind, null, 0, 0, 0, null, null);
        }
    }

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("6.18, this machine (padded columns, five irq flags)",
                        "              dd-6424    [000] .....  1802.859592: mm_shrink_slab_end: super_cache_scan+0x0/0x210"
                                + " 00000000085d0363: nid: 0 unused scan count 0 new scan count 0 total_scan 0 last shrinker return val 0",
                        "dd", 6424, 0, 1802_859_592_000L, "mm_shrink_slab_end", "super_cache_scan+0x0/0x210"),
                Arguments.of("4.18-372, seed 000 §4.1 (unpadded, four irq flags)",
                        "bash-16737 [010] .N.. 426415.669056: mm_vmscan_memcg_reclaim_end: nr_reclaimed=33",
                        "bash", 16737, 10, 426415_669_056_000L, "mm_vmscan_memcg_reclaim_end", "nr_reclaimed=33"),
                Arguments.of("4.18-147, seed 000 §4.1 (may_writepage, classzone_idx)",
                        "httpd-11244 [010] .... 519278.538285: mm_vmscan_memcg_reclaim_begin: order=0 may_writepage=1"
                                + " gfp_flags=GFP_HIGHUSER_MOVABLE classzone_idx=2",
                        "httpd", 11244, 10, 519278_538_285_000L, "mm_vmscan_memcg_reclaim_begin", "order=0"),
                Arguments.of("6.6, seed 000 §7.2 (padded, five irq flags)",
                        "              dd-157706  [027] ..... 304085.178485: mm_vmscan_lru_shrink_inactive: nid=1"
                                + " nr_scanned=32 nr_reclaimed=9",
                        "dd", 157706, 27, 304085_178_485_000L, "mm_vmscan_lru_shrink_inactive", "nid=1"),
                Arguments.of("no irq-flags column",
                        "          <idle>-0     [001]   100.000001: mm_vmscan_direct_reclaim_end: nr_reclaimed=7",
                        "<idle>", 0, 1, 100_000_001_000L, "mm_vmscan_direct_reclaim_end", "nr_reclaimed=7"),
                Arguments.of("task name with a space, dashes and a slash; record-tgid column",
                        " kworker/u8:2 my-noise-88      (     88) [001] d..1.    12.000001: mm_shrink_slab_start: x+0x0/0x1",
                        "kworker/u8:2 my-noise", 88, 1, 12_000_001_000L, "mm_shrink_slab_start", "x+0x0/0x1"),
                Arguments.of("unknown task name, tgid not recorded",
                        "           <...>-2001  (-------) [000] ..... 55.5: mm_vmscan_memcg_reclaim_begin: order=0",
                        "<...>", 2001, 0, 55_500_000_000L, "mm_vmscan_memcg_reclaim_begin", "order=0"),
                Arguments.of("CRLF line end",
                        "bash-1 [000] .... 1.000002: mm_vmscan_memcg_reclaim_end: nr_reclaimed=3\r",
                        "bash", 1, 0, 1_000_002_000L, "mm_vmscan_memcg_reclaim_end", "nr_reclaimed=3"),
                Arguments.of("nanosecond timestamp",
                        "bash-1 [000] .... 1.000000002: mm_vmscan_memcg_reclaim_end: nr_reclaimed=3",
                        "bash", 1, 0, 1_000_000_002L, "mm_vmscan_memcg_reclaim_end", "nr_reclaimed=3"),
                Arguments.of("counter clock (an integer timestamp, kept as is)",
                        "bash-1 [000] .... 123456789: mm_vmscan_memcg_reclaim_end: nr_reclaimed=3",
                        "bash", 1, 0, 123456789L, "mm_vmscan_memcg_reclaim_end", "nr_reclaimed=3"),
                Arguments.of("more than 27 hours of uptime widens the timestamp column",
                        "              dd-6424    [001] ..... 123456.000001: mm_vmscan_memcg_reclaim_begin: order=0",
                        "dd", 6424, 1, 123456_000_001_000L, "mm_vmscan_memcg_reclaim_begin", "order=0"),
                Arguments.of("a three-digit CPU and a seven-digit pid",
                        "     stress-ng-vm-4194303 [127] d.... 42.000001: mm_vmscan_memcg_reclaim_begin: order=0",
                        "stress-ng-vm", 4194303, 127, 42_000_001_000L, "mm_vmscan_memcg_reclaim_begin", "order=0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void readsEventLinesOfEveryLayout(String what, String line, String comm, int pid, int cpu, long ns, String event,
                                      String fieldsStart) {
        Read read = Read.of(line);

        assertEquals(LineKind.EVENT, read.kind(), what);
        assertEquals(comm, read.comm(), what);
        assertEquals(pid, read.pid(), what);
        assertEquals(cpu, read.cpu(), what);
        assertEquals(ns, read.ns(), what);
        assertEquals(event, read.event(), what);
        assertEquals(fieldsStart, read.fields().substring(0, Math.min(read.fields().length(), fieldsStart.length())), what);
        assertEquals(read, Read.general(line), "the fixed-column shortcut and the general path agree: " + what);
    }

    static Stream<Arguments> others() {
        return Stream.of(
                Arguments.of("# tracer: nop", LineKind.HEADER, 0L),
                Arguments.of("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION", LineKind.HEADER, 0L),
                Arguments.of("##### CPU 1 buffer started ####", LineKind.BUFFER_STARTED, 0L),
                Arguments.of("CPU:3 [LOST 17 EVENTS]", LineKind.LOST_EVENTS, 17L),
                Arguments.of("CPU:12 [LOST 4294967296 EVENTS]\r", LineKind.LOST_EVENTS, 4294967296L),
                Arguments.of("CPU:0 [LOST EVENTS]", LineKind.LOST_EVENTS, 0L),
                Arguments.of("CPU:1 [LOST 999999999999999999 EVENTS]", LineKind.LOST_EVENTS, 999_999_999_999_999_999L),
                Arguments.of("CPU:1 [LOST 18446744073709551615 EVENTS]", LineKind.LOST_EVENTS, -1L),
                Arguments.of("", LineKind.BLANK, 0L),
                Arguments.of("   \t  \r", LineKind.BLANK, 0L),
                Arguments.of("garbage line without structure", LineKind.MALFORMED, 0L),
                Arguments.of("bash-16737 [010] .N.. 426415.6690", LineKind.MALFORMED, 0L),
                Arguments.of("bash-16737 [010] .N.. 426415.669056:", LineKind.MALFORMED, 0L),
                Arguments.of("bash-16737 [010] .N.. 426415.669056: mm_vmscan_memcg_reclai", LineKind.MALFORMED, 0L),
                Arguments.of("bash-16737 [010] .N.. 426415.669056:mm_x: y", LineKind.MALFORMED, 0L),
                Arguments.of("          <idle>-0       [001] d..2.    99.000001: do_idle <-cpu_startup_entry",
                        LineKind.MALFORMED, 0L),
                Arguments.of("bash [010] .... 1.000001: ev: x", LineKind.MALFORMED, 0L),
                Arguments.of("bash-16737 [0x10] .... 1.000001: ev: x", LineKind.MALFORMED, 0L),
                Arguments.of("bash-16737 [010] .... 99999999999.000001: ev: x", LineKind.MALFORMED, 0L),
                Arguments.of("CPU:x [LOST 3 EVENTS]", LineKind.MALFORMED, 0L),
                Arguments.of("[[[[[[[[[[]]]]]]]]]-----1111 [1] [2] :::", LineKind.MALFORMED, 0L));
    }

    @ParameterizedTest(name = "{index}: {1} \"{0}\"")
    @MethodSource("others")
    void tellsHeadersLostEventsAndDamage(String line, LineKind kind, long lost) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        TraceLine out = new TraceLine();

        assertEquals(kind, TraceLineParser.parse(b, 0, b.length, out), line);
        if (kind == LineKind.LOST_EVENTS) {
            assertEquals(lost, out.lostEvents(), line);
        }
    }

    @Test
    void theShortcutAgreesWithTheGeneralPathOnEveryLineOfRealTraces() throws IOException {
        List<String> disagreements = new ArrayList<>();
        int lines = 0;
        TraceLine shared = new TraceLine();
        try (Stream<Path> files = Files.walk(Path.of("src/test/resources/traces"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                    lines++;
                    if (!Read.of(line, shared).equals(Read.general(line))) {
                        disagreements.add(file.getFileName() + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), disagreements);
        assertEquals(true, lines > 1500, "read the real traces: " + lines);
    }

    @Test
    void aRecentEventNameIsOnlyReusedWhenTheWholeNameMatches() {
        TraceLine shared = new TraceLine();
        String prefix = "              dd-6424    [000] .....  1802.859592: ";
        List<String> lines = List.of(prefix + "mm_shrink_slab_end: x", prefix + "mm_shrink_slab_endx: y",
                prefix + "mm_shrink_slab_en: z", prefix + "mm_shrink_slab_end : w", prefix + "mm_shrink_slab_end: v",
                prefix + "mm_shrink_slab_start: u", prefix + "a: 1", prefix + "b: 2", prefix + "c: 3",
                prefix + "d: 4", prefix + "e: 5", prefix + "f: 6", prefix + "mm_shrink_slab_end: t");
        for (String line : lines) {
            assertEquals(Read.general(line), Read.of(line, shared), line);
        }
    }
}
