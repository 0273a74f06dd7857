package dev.reclaimlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Splitting the input into chunks for parallel parsing gives exactly the result of one single-threaded pass: every
 * metric, including begin/end pairs and shrink_slab-inside-reclaim time that cross chunk boundaries. A chunk size of
 * one byte puts every line in its own chunk, so every pair crosses a boundary.
 */
class SplitEquivalenceTest {
    private static final long[] CHUNK_BYTES = {1, 7, 64, 333, 4096, 100_000};
    private static final int[] THREADS = {1, 2, 3};

    @TempDir
    Path dir;

    static String singlePass(Path trace) throws Exception {
        return singlePass(trace, Limits.DEFAULT);
    }

    static String singlePass(Path trace, Limits limits) throws Exception {
        ReclaimAnalyzer.Options one = ReclaimAnalyzer.Options.defaults().withThreads(1).withChunkBytes(Long.MAX_VALUE)
                .withLimits(limits);
        return TestTraces.json(new ReclaimAnalyzer(one).analyze(trace));
    }

    static void assertEverySplitGives(String expected, Path trace) throws Exception {
        assertEverySplitGives(expected, trace, Limits.DEFAULT);
    }

    static void assertEverySplitGives(String expected, Path trace, Limits limits) throws Exception {
        for (long chunk : CHUNK_BYTES) {
            for (int threads : THREADS) {
                ReclaimAnalyzer.Options split = ReclaimAnalyzer.Options.defaults().withThreads(threads).withChunkBytes(chunk)
                        .withLimits(limits);
                assertEquals(expected, TestTraces.json(new ReclaimAnalyzer(split).analyze(trace)),
                        trace + " in chunks of " + chunk + " bytes on " + threads + " threads");
            }
        }
    }

    static Stream<Path> realTraces() throws Exception {
        return TestTraces.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realTraces")
    void realTraces(Path trace) throws Exception {
        assertEverySplitGives(singlePass(trace), trace);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomInterleavingsOfManyTasks(long seed) throws Exception {
        Path trace = Files.writeString(dir.resolve("trace-" + seed + ".txt"), randomTrace(new Random(seed), 1500));
        String expected = singlePass(trace);

        assertEverySplitGives(expected, trace);
    }

    /**
     * Tables at their limits: which task, name or row is the one too many depends on everything before it, so a
     * chunk parsed ahead that meets a limit is parsed again in place, and the dropped counts come out the same.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void tablesAtTheirLimitsGiveTheSameResultHoweverTheFileIsSplit(long seed) throws Exception {
        Limits tiny = new Limits(4, 6, 3, 9, 5, 2, 6, 3);
        Path trace = Files.writeString(dir.resolve("trace-" + seed + ".txt"), variedTrace(new Random(seed), 1500));
        String expected = singlePass(trace, tiny);
        TraceMetrics m = new ReclaimAnalyzer(ReclaimAnalyzer.Options.defaults().withThreads(1).withLimits(tiny))
                .analyze(trace);

        assertTrue(m.dropped().openTasks() > 0 && m.dropped().comms() > 0 && m.dropped().shrinkers() > 0
                && m.dropped().eventNames() > 0 && m.dropped().cpuSeconds() > 0 && m.dropped().priorities() > 0,
                "every table met its limit: " + m.dropped());
        assertEquals(7, m.byComm().size(), "six names and (other)");
        assertEquals(5, m.perCpuSeconds().size());
        assertEverySplitGives(expected, trace, tiny);
        assertEquals(new TraceMetrics.Dropped(0, 0, 0, 0, 0, 0), TestTraces.analyze(trace).dropped(),
                "nothing near the real limits");
    }

    @Test
    void aReclaimThatSpansChunksKeepsTheShrinkSlabTimeInsideIt() throws Exception {
        // one memcg reclaim of 1000 µs around three shrink_slab calls of 10, 20 and 30 µs, the second one itself cut
        // by a chunk boundary; other tasks in between so the boundaries fall everywhere
        Path trace = Files.writeString(dir.resolve("trace.txt"), String.join("\n",
                line("dd", 7, 0, 1_000_000, "mm_vmscan_memcg_reclaim_begin: order=0"),
                line("cat", 9, 1, 1_000_001, "mm_vmscan_memcg_reclaim_begin: order=0"),
                line("dd", 7, 0, 1_000_100, "mm_shrink_slab_start: super_cache_scan+0x0/0x1 0: nid: 0 x"),
                line("dd", 7, 0, 1_000_110, "mm_shrink_slab_end: super_cache_scan+0x0/0x1 0: nid: 0 last shrinker return val 1"),
                line("cat", 9, 1, 1_000_200, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=5"),
                line("dd", 7, 1, 1_000_300, "mm_shrink_slab_start: scan_shadow_nodes+0x0/0x1 0: nid: 0 x"),
                line("cat", 9, 1, 1_000_301, "mm_vmscan_memcg_reclaim_begin: order=0"),
                line("dd", 7, 1, 1_000_320, "mm_shrink_slab_end: scan_shadow_nodes+0x0/0x1 0: nid: 0 last shrinker return val 0"),
                line("dd", 7, 1, 1_000_500, "mm_shrink_slab_start: super_cache_scan+0x0/0x1 0: nid: 0 x"),
                line("dd", 7, 1, 1_000_530, "mm_shrink_slab_end: super_cache_scan+0x0/0x1 0: nid: 0 last shrinker return val 0"),
                line("dd", 7, 1, 1_001_000, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=40"),
                line("cat", 9, 1, 1_002_301, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=41"),
                ""));
        String expected = singlePass(trace);
        TraceMetrics m = TestTraces.analyze(trace);

        assertEquals(3, m.memcgReclaim().count());
        assertEquals(0, m.memcgReclaim().unpaired());
        assertEquals(3199.0, m.memcgReclaim().latencyUs().total(), "1000 + 199 + 2000 µs");
        assertEquals(60.0, m.shrinkSlab().insideMemcgReclaimUs(), "10 + 20 + 30 µs inside dd's reclaim");
        assertEquals(2, m.shrinkSlab().shrinkers().get("super_cache_scan").count());
        assertEquals(1, m.shrinkSlab().freedObjects());
        assertEverySplitGives(expected, trace);
    }

    static String line(String comm, int pid, int cpu, long us, String event) {
        return String.format(Locale.ROOT, "%16s-%-7d [%03d] ..... %5d.%06d: %s", comm, pid, cpu, us / 1_000_000,
                us % 1_000_000, event);
    }

    /**
     * Tasks that begin and end memcg and direct reclaims with shrink_slab calls inside, in random interleavings, with
     * the damage real traces have: lost ends, repeated begins, ends before begins, pid 0 on several CPUs, garbage.
     */
    static String randomTrace(Random random, int lines) {
        String[] events = {"mm_vmscan_memcg_reclaim_begin: order=0", "mm_vmscan_memcg_reclaim_end: nr_reclaimed=%d",
            "mm_vmscan_direct_reclaim_begin: order=0", "mm_vmscan_direct_reclaim_end: nr_reclaimed=%d",
            "mm_shrink_slab_start: %s+0x0/0x1 0: nid: 0 objects to shrink 0",
            "mm_shrink_slab_end: %s+0x0/0x1 0: nid: 0 unused scan count 0 last shrinker return val %d",
            "mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=%d nr_reclaimed=%d priority=%d flags=RECLAIM_WB_%s|RECLAIM_WB_ASYNC",
            "sched_switch: whatever"};
        String[] shrinkers = {"super_cache_scan", "deferred_split_scan", "scan_shadow_nodes"};
        String[] comms = {"dd", "kswapd0", "<idle>", "stress-ng-vm", "kworker/u8:2"};
        List<String> out = new ArrayList<>();
        long us = 5_000_000;
        for (int i = 0; i < lines; i++) {
            us += random.nextInt(50);
            int pid = random.nextInt(10) == 0 ? 0 : 100 + random.nextInt(12);
            int cpu = random.nextInt(4);
            long ts = random.nextInt(40) == 0 ? us - random.nextInt(5000) : us; // now and then a line out of order
            int kind = random.nextInt(events.length);
            String event = String.format(Locale.ROOT, events[kind], switch (kind) {
                case 1, 3 -> new Object[] {random.nextInt(70)};
                case 4 -> new Object[] {shrinkers[random.nextInt(shrinkers.length)]};
                case 5 -> new Object[] {shrinkers[random.nextInt(shrinkers.length)], random.nextInt(5) - 1};
                case 6 -> new Object[] {random.nextInt(512), random.nextInt(64), random.nextInt(13),
                    random.nextBoolean() ? "ANON" : "FILE"};
                default -> new Object[0];
            });
            String text = line(comms[pid % comms.length], pid, cpu, ts, event);
            if (random.nextInt(60) == 0) {
                text = text.substring(0, random.nextInt(text.length())); // a cut line
            }
            out.add(text);
            if (random.nextInt(100) == 0) {
                out.add("CPU:" + cpu + " [LOST " + random.nextInt(1000) + " EVENTS]");
            }
        }
        return String.join(random.nextBoolean() ? "\n" : "\r\n", out) + (random.nextBoolean() ? "\n" : "");
    }

    /** Like {@link #randomTrace}, with many more tasks, names, seconds and odd priorities. */
    static String variedTrace(Random random, int lines) {
        List<String> out = new ArrayList<>();
        long us = 5_000_000;
        for (int i = 0; i < lines; i++) {
            us += random.nextInt(20_000);
            int pid = random.nextInt(30) == 0 ? 0 : 100 + random.nextInt(40);
            int cpu = random.nextInt(4);
            String comm = "task" + random.nextInt(12);
            String shrinker = "shrinker" + random.nextInt(6);
            String event = switch (random.nextInt(9)) {
                case 0 -> "mm_vmscan_memcg_reclaim_begin: order=0";
                case 1, 2 -> "mm_vmscan_memcg_reclaim_end: nr_reclaimed=" + random.nextInt(70);
                case 3 -> "mm_vmscan_direct_reclaim_begin: order=0";
                case 4 -> "mm_vmscan_direct_reclaim_end: nr_reclaimed=" + random.nextInt(70);
                case 5 -> "mm_shrink_slab_start: " + shrinker + "+0x0/0x1 0: nid: 0 objects to shrink 0";
                case 6 -> "mm_shrink_slab_end: " + shrinker + "+0x0/0x1 0: nid: 0 last shrinker return val "
                        + random.nextInt(5);
                case 7 -> "mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=32 nr_reclaimed=3 priority="
                        + (random.nextInt(3) == 0 ? 100 + random.nextInt(5) : random.nextInt(13))
                        + " flags=RECLAIM_WB_FILE";
                default -> "other_event_" + random.nextInt(10) + ": x";
            };
            out.add(line(comm, pid, cpu, us, event));
        }
        return String.join("\n", out) + "\n";
    }
}
