package dev.reclaimlab.analysis;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Damaged input never throws out of the analysis: what cannot be read is counted as skipped lines and shown, and
 * every line is accounted for (lines = header + events + skipped + blank + lost records + buffer-started lines).
 */
class MalformedInputTest {
    @TempDir
    Path dir;

    private static List<String> storm() throws Exception {
        return Files.readAllLines(TestTraces.LOCAL_STORM, StandardCharsets.ISO_8859_1);
    }

    private static TraceMetrics analyzeSplit(Path trace, long chunkBytes) throws Exception {
        return new ReclaimAnalyzer(ReclaimAnalyzer.Options.defaults().withChunkBytes(chunkBytes)).analyze(trace);
    }

    private static void assertAccounted(TraceMetrics m, long blank) {
        assertEquals(m.lines(), m.headerLines() + m.events() + m.skippedLines() + blank + m.lostEventRecords()
                + m.bufferStartedLines(), "every line is accounted for: " + m.lines());
        assertTrue(m.skippedSamples().size() <= 5);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void randomBytes(long seed) throws Exception {
        Random random = new Random(seed);
        byte[] bytes = new byte[200_000 + random.nextInt(100_000)];
        random.nextBytes(bytes);
        Path trace = Files.write(dir.resolve("random.bin"), bytes);

        TraceMetrics m = assertDoesNotThrow(() -> analyzeSplit(trace, 4096));

        assertTrue(m.skippedLines() > 0);
        assertEquals(TestTraces.json(m), TestTraces.json(analyzeSplit(trace, Long.MAX_VALUE)), "split or not");
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {21, 22, 23})
    void cutReorderedAndDuplicatedLinesOfARealTrace(long seed) throws Exception {
        Random random = new Random(seed);
        List<String> lines = new ArrayList<>(storm());
        int cut = 0;
        for (int i = 0; i < lines.size(); i++) {
            int damage = random.nextInt(20);
            if (damage == 0) {
                String line = lines.get(i);
                lines.set(i, line.substring(0, random.nextInt(line.length() + 1)));
                cut++;
            } else if (damage == 1) {
                lines.add(i, lines.get(i)); // duplicated
                i++;
            } else if (damage == 2 && i + 1 < lines.size()) {
                Collections.swap(lines, i, i + 1); // reordered
            }
        }
        Collections.shuffle(lines.subList(100, 200), random); // a stretch in random order
        Path trace = Files.writeString(dir.resolve("damaged.txt"), String.join("\n", lines));

        TraceMetrics m = assertDoesNotThrow(() -> analyzeSplit(trace, 999));

        long cutOrGarbled = m.skippedLines() - m.malformed().backwardsTimestamps();
        assertTrue(cutOrGarbled > 0 && cutOrGarbled <= cut, cutOrGarbled + " skipped of " + cut + " cut");
        assertTrue(m.malformed().backwardsTimestamps() > 10, "reordered lines go back in time on their CPU");
        assertTrue(m.memcgReclaim().unpaired() > 6, "damage leaves begins and ends without partners");
        assertTrue(m.memcgReclaim().count() > 100, "and the rest still pairs");
        assertEquals(lines.size(), m.lines());
        assertEquals(TestTraces.json(m), TestTraces.json(analyzeSplit(trace, Long.MAX_VALUE)), "split or not");
    }

    @Test
    void hugeLinesAreSkippedWithTheirLength() throws Exception {
        List<String> lines = storm().subList(0, 50);
        String huge = "x".repeat(200_000);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            text.append(lines.get(i)).append('\n');
            if (i == 10) {
                text.append(huge).append('\n');
            }
        }
        text.append(lines.get(3)).append(huge); // a huge last line without newline
        Path trace = Files.writeString(dir.resolve("huge.txt"), text);

        TraceMetrics m = assertDoesNotThrow(() -> analyzeSplit(trace, 1000));

        assertEquals(52, m.lines());
        assertEquals(50, m.events());
        assertEquals(2, m.skippedLines());
        assertEquals(12, m.skippedSamples().get(0).line());
        assertTrue(m.skippedSamples().get(0).text().startsWith("(200000 bytes) xxxx"), m.skippedSamples().get(0).text());
        assertEquals(52, m.skippedSamples().get(1).line());
        assertTrue(m.skippedSamples().get(1).text().startsWith("(" + (lines.get(3).length() + 200_000) + " bytes)"));
        assertAccounted(m, 0);
    }

    @Test
    void controlBytesNulsAndLoneCarriageReturns() throws Exception {
        String text = "bash-1 [000] .... 1.000000: mm_vmscan_memcg_reclaim_begin: order=0\r\n"
                + "\u0000\u0000\u0000\n"
                + "\r\r\r\n"
                + "bash-1 [000] .... 1.000100: mm_vmscan_memcg_reclaim_end: nr_reclaimed=\u0000\r\n"
                + "bash-1 [000] .... 1.000200: mm_vmscan_memcg_reclaim_end: nr_reclaimed=99999999999999999999\n"
                + "\n"
                + "bash-1 [000] .... 1.000300: mm_vmscan_memcg_reclaim_end: nr_reclaimed=4\n";
        Path trace = Files.write(dir.resolve("ctl.txt"), text.getBytes(StandardCharsets.ISO_8859_1));

        TraceMetrics m = assertDoesNotThrow(() -> analyzeSplit(trace, 1));

        assertEquals(7, m.lines());
        assertEquals(2, m.events(), "the begin and the last end");
        assertEquals(4, m.skippedLines(), "NULs, lone CRs, an end without a number, a number too long to be one");
        assertEquals("???", m.skippedSamples().get(0).text(), "control bytes shown as '?'");
        assertEquals(300.0, m.memcgReclaim().latencyUs().max(), "the skipped ends never paired");
        assertAccounted(m, 1);
    }

    @Test
    void theMixedSeedExcerptIsFullyAccountedFor() throws Exception {
        assertAccounted(TestTraces.analyze(TestTraces.SEED_MIXED), 0);
        assertAccounted(TestTraces.analyze(TestTraces.LOCAL_STORM), 0);
    }

    @Test
    void aLineWrappedByAMailClient() throws Exception {
        // seed 000 §7.2 prints the 6.6 line wrapped over three lines: the first has no flags, the rest is no line at all
        Path trace = Files.writeString(dir.resolve("wrapped.txt"), String.join("\n",
                "              dd-157706  [027] ..... 304085.178485: mm_vmscan_lru_shrink_inactive: nid=1 nr_scanned=32 nr_reclaimed=9 ",
                "              nr_dirty=0 nr_writeback=0 nr_congested=0 nr_immediate=0 nr_activate_anon=0 nr_activate_file=0 ",
                "              nr_ref_keep=23 nr_unmap_fail=0 priority=5 flags=RECLAIM_WB_ANON|RECLAIM_WB_ASYNC", ""));

        TraceMetrics m = TestTraces.analyze(trace);

        assertEquals(3, m.skippedLines());
        assertEquals(0, m.lruShrinkInactive().events());
        assertEquals(0, m.events());
    }

    @Test
    void valuesThatCannotBeRealAreCountedAndNeverSummed() throws Exception {
        String line = SplitEquivalenceTest.line("dd", 7, 0, 1_000_000, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=%s");
        List<String> lines = new ArrayList<>();
        lines.add(String.format(line, "5"));
        for (int i = 0; i < 20; i++) { // 20 of these summed to a negative total before
            lines.add(String.format(line, "999999999999999999"));
        }
        lines.add(String.format(line, "-7"));
        lines.add("CPU:0 [LOST 18446744073709551615 EVENTS]"); // a wrapped count: read as 184467440737095516 before
        lines.add("CPU:0 [LOST 3 EVENTS]");
        lines.add(SplitEquivalenceTest.line("dd", 7, 0, 1_000_001,
                "mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=-32 nr_reclaimed=1 priority=12 flags=RECLAIM_WB_FILE"));
        lines.add(SplitEquivalenceTest.line("dd", 7, 0, 1_000_002, "mm_shrink_slab_end: " + "f".repeat(600)
                + "+0x0/0x1 0: nid: 0 last shrinker return val 1"));
        lines.add(SplitEquivalenceTest.line("dd", 7, 0, 1_000_003,
                "mm_shrink_slab_end: f+0x0/0x1 0: nid: 0 last shrinker return val 2000000000000"));
        lines.add("dd-7 [99999] .... 1.000004: mm_vmscan_memcg_reclaim_end: nr_reclaimed=1");
        Path trace = Files.writeString(dir.resolve("values.txt"), String.join("\n", lines) + "\n");

        TraceMetrics m = analyzeSplit(trace, 100);

        assertEquals(5, m.memcgReclaim().nrReclaimed().sum(), "only the real value");
        assertEquals(1, m.memcgReclaim().nrReclaimed().count());
        assertEquals(3, m.lostEvents());
        assertEquals(1, m.lostEventRecords());
        assertEquals(0, m.lruShrinkInactive().events());
        assertEquals(0, m.shrinkSlab().ends());
        assertEquals(new TraceMetrics.Malformed(2, 22, 1, 1, 0, 0), m.malformed());
        assertEquals(26, m.skippedLines());
        assertEquals("(implausible value) ", m.skippedSamples().get(0).text().substring(0, 20));
        assertAccounted(m, 0);
        assertEquals(TestTraces.json(m), TestTraces.json(analyzeSplit(trace, Long.MAX_VALUE)), "split or not");
    }

    @Test
    void totalsThatWouldOverflowStopAtTheCeilingAndSaySo() throws Exception {
        // two reclaims of almost 9e9 s each: the largest timestamps the parser takes; their total passes 2^63 ns
        Path trace = Files.writeString(dir.resolve("long.txt"), String.join("\n",
                SplitEquivalenceTest.line("a", 1, 0, 1, "mm_vmscan_memcg_reclaim_begin: order=0"),
                SplitEquivalenceTest.line("b", 2, 0, 2, "mm_vmscan_memcg_reclaim_begin: order=0"),
                SplitEquivalenceTest.line("a", 1, 0, 8_999_999_999_000_000L, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=1"),
                SplitEquivalenceTest.line("b", 2, 0, 8_999_999_999_000_001L, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=1"),
                ""));

        TraceMetrics m = analyzeSplit(trace, 1);

        assertEquals(2, m.memcgReclaim().count());
        assertTrue(m.memcgReclaim().latencyUs().total() > 9.2e15, "not wrapped to a negative total");
        assertEquals(1, m.malformed().overflowedTotals(), "the reclaim latency total; each task's own is below 2^63");
        assertEquals(TestTraces.json(m), TestTraces.json(analyzeSplit(trace, Long.MAX_VALUE)), "split or not");
    }

    @Test
    void linesThatGoBackInTimeOnTheirCpuAreSkipped() throws Exception {
        Path trace = Files.writeString(dir.resolve("back.txt"), String.join("\n",
                SplitEquivalenceTest.line("dd", 7, 0, 1_000_000, "mm_vmscan_memcg_reclaim_begin: order=0"),
                SplitEquivalenceTest.line("cat", 9, 1, 999_000, "mm_vmscan_memcg_reclaim_begin: order=0"),
                SplitEquivalenceTest.line("dd", 7, 0, 900_000, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=5"),
                SplitEquivalenceTest.line("dd", 7, 0, 1_000_500, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=6"),
                SplitEquivalenceTest.line("cat", 9, 1, 5_000_000_000L, "sched_switch: a jump forward"),
                SplitEquivalenceTest.line("cat", 9, 1, 1_000_600, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=7"),
                SplitEquivalenceTest.line("cat", 9, 1, 1_000_700, "sched_switch: in order again"),
                ""));

        TraceMetrics m = analyzeSplit(trace, 1);

        assertEquals(2, m.malformed().backwardsTimestamps(), "dd's end at 0.9 s on CPU 0, cat's after the jump on CPU 1");
        assertEquals(2, m.skippedLines());
        assertEquals(1, m.memcgReclaim().count(), "dd's reclaim pairs with its in-order end");
        assertEquals(500.0, m.memcgReclaim().latencyUs().total());
        assertEquals(6, m.memcgReclaim().nrReclaimed().sum(), "the skipped ends are not summed");
        assertEquals(1, m.memcgReclaim().unpaired(), "cat's begin: its end was skipped");
        assertTrue(m.skippedSamples().get(0).text().startsWith("(time goes back on its CPU) "));
        assertAccounted(m, 0);
        assertEquals(TestTraces.json(m), TestTraces.json(analyzeSplit(trace, Long.MAX_VALUE)), "split or not");
    }
}
