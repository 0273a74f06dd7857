package dev.reclaimlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary and the per-CPU-second table a person reads. */
class MetricsTextTest {

    @Test
    void summaryOfTheLocalStorm() throws Exception {
        String text = MetricsText.summary("trace.txt", TestTraces.analyze(TestTraces.LOCAL_STORM));

        assertTrue(text.startsWith("trace.txt: 1,212 lines, 1,200 events, 1802.570900 to 1803.224348 s (653 ms)\n"), text);
        assertTrue(text.contains("memcg reclaim             223 pairs, 6 unpaired\n"), text);
        assertTrue(text.contains("p50 367 µs, p90 66.5 ms, p99 165 ms, max 236 ms, mean 15.7 ms, total 3.50 s"), text);
        assertTrue(text.contains("shrink_slab               220 pairs, 1 unpaired, total 1.22 ms"), text);
        assertTrue(text.contains("0.0% of memcg reclaim time (1.21 ms)"), text);
        assertTrue(text.contains("  super_cache_scan         157 calls, total 832 µs"), text);
        assertTrue(text.contains("lru_shrink_inactive       306 events: ANON 0, FILE 306"), text);
        assertTrue(text.contains("priority                 12: 203, 11: 61, 10: 21, 9: 11, 8: 9, 7: 1"), text);
        assertTrue(text.contains("  dd                       1,166 events, memcg reclaim 220 (3.15 s), shrink_slab 215 (1.19 ms)"), text);
        assertTrue(text.contains("direct reclaim            none"), text);
    }

    @Test
    void summaryShowsWhatWasSkipped() throws Exception {
        String text = MetricsText.summary("x", TestTraces.analyze(TestTraces.SEED_MIXED));

        assertTrue(text.contains("skipped lines 2, lost events 17, fields: built-in layout"), text);
        assertTrue(text.contains("    line 18: garbage line without structure\n"), text);
        assertTrue(!text.contains(" to 12.000001 s"), "no duration when the timestamps go backwards: " + text);
    }

    @Test
    void perCpuSecondsTable() throws Exception {
        List<String> rows = MetricsText.perCpuSeconds(TestTraces.analyze(TestTraces.LOCAL_STORM)).lines().toList();

        assertEquals(List.of(
                " cpu       second  reclaims    avg_nr    <32  reclaims by nr_reclaimed (pages:count)",
                "   0         1802        73    256.03      0  >=32:73",
                "   0         1803       128    256.02      0  >=32:128",
                "   1         1803        22    256.00      0  >=32:22"), rows);
    }

    @Test
    void durations() {
        assertEquals("0 µs", MetricsText.duration(0));
        assertEquals("5.6 µs", MetricsText.duration(5.559));
        assertEquals("7 µs", MetricsText.duration(7));
        assertEquals("367 µs", MetricsText.duration(367));
        assertEquals("66.5 ms", MetricsText.duration(66_495));
        assertEquals("1.04 s", MetricsText.duration(1_043_374));
    }

    @Test
    void summarySaysWhatWasDroppedAndWhatCannotBeReal(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path trace = java.nio.file.Files.writeString(dir.resolve("trace.txt"),
                SplitEquivalenceTest.variedTrace(new java.util.Random(1), 1500) + "CPU:0 [LOST 99999999999999999999 EVENTS]\n");
        java.nio.file.Files.createDirectories(dir.resolve("formats/vmscan"));
        java.nio.file.Files.writeString(dir.resolve("formats/vmscan/x.format"), "no name here\n");
        Limits tiny = new Limits(4, 6, 3, 9, 5, 2, 6, 3);

        TraceMetrics m = new ReclaimAnalyzer(ReclaimAnalyzer.Options.defaults().withLimits(tiny)).analyze(trace);
        String text = MetricsText.summary("trace.txt", m);

        assertTrue(text.contains("  malformed, skipped and not summed: 1 line with a wrapped lost-events count\n"), text);
        assertTrue(text.contains("  incomplete, tables full: " + String.format(java.util.Locale.ROOT, "%,d",
                m.dropped().openTasks()) + " begins not paired (too many tasks with one open), "), text);
        assertTrue(text.contains(" memcg reclaims left out of the per-CPU-second table, "), text);
        assertTrue(text.contains("  format files left out 1 (their events read with the built-in layout)\n"
                + "    vmscan/x.format: no name: line\n"), text);
        assertTrue(!MetricsText.summary("x", TestTraces.analyze(TestTraces.LOCAL_STORM)).contains("incomplete"),
                "nothing of the kind on a real trace");
    }
}
