package dev.reclaimlab.analysis;

import static dev.reclaimlab.analysis.SplitEquivalenceTest.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lost events are never silent: each {@code [LOST]} record is counted per CPU with when, a span that one fell inside on
 * its CPU is counted broken rather than measured, and metrics.json names what the loss can make wrong.
 */
class LostEventsTest {
    @TempDir
    Path dir;

    @Test
    void aPairThatALossOnItsCpuFellInsideIsBrokenNotMeasured() throws Exception {
        Path trace = Files.writeString(dir.resolve("trace.txt"), String.join("\n",
                line("dd", 7, 0, 1_000_000, "mm_vmscan_memcg_reclaim_begin: order=0"),
                line("cat", 9, 1, 1_000_001, "mm_vmscan_memcg_reclaim_begin: order=0"),
                line("mig", 11, 2, 1_000_002, "mm_vmscan_direct_reclaim_begin: order=0"),
                line("dd", 7, 0, 1_000_100, "mm_shrink_slab_start: super_cache_scan+0x0/0x1 0: nid: 0 x"),
                "CPU:0 [LOST 17 EVENTS]",
                line("dd", 7, 0, 1_000_110, "mm_shrink_slab_end: super_cache_scan+0x0/0x1 0: nid: 0 last shrinker return val 1"),
                line("dd", 7, 0, 1_000_500, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=5"),
                line("cat", 9, 1, 1_000_600, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=6"),
                "CPU:3 [LOST EVENTS]",
                line("mig", 11, 3, 1_000_700, "mm_vmscan_direct_reclaim_end: nr_reclaimed=7"),
                line("dd", 7, 0, 1_001_000, "mm_vmscan_memcg_reclaim_begin: order=0"),
                line("dd", 7, 0, 1_001_300, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=8"),
                ""));
        TraceMetrics m = TestTraces.analyze(trace);

        assertEquals(1, m.memcgReclaim().broken(), "dd's first reclaim: CPU 0 lost events inside it");
        assertEquals(2, m.memcgReclaim().count(), "cat's (the loss was on another CPU) and dd's second");
        assertEquals(899.0, m.memcgReclaim().latencyUs().total(), "599 + 300 µs: the broken 500 µs left out");
        assertEquals(1, m.directReclaim().broken(), "mig moved to CPU 3, where events were lost before its end");
        assertEquals(0, m.directReclaim().count());
        assertEquals(1, m.shrinkSlab().broken());
        assertEquals(0, m.shrinkSlab().count());
        assertEquals(0, m.memcgReclaim().unpaired() + m.directReclaim().unpaired() + m.shrinkSlab().unpaired());

        assertEquals(17, m.lost().events());
        assertEquals(2, m.lost().records());
        assertEquals(1, m.lost().unknownRecords());
        assertEquals(17, m.lostEvents(), "the old field still says the same");
        assertEquals(2, m.lostEventRecords());
        assertEquals(new TraceMetrics.LostOnCpu(17, 1, 0, 1.0001, 1.0001), m.lost().byCpu().get("0"),
                "when: the event line before the record");
        assertEquals(new TraceMetrics.LostOnCpu(0, 1, 1, 1.0006, 1.0006), m.lost().byCpu().get("3"));
        assertTrue(m.falsifiedByLoss().contains("memcg_reclaim.latency_us"));
        assertTrue(m.falsifiedByLoss().contains("per_cpu_seconds"));

        SplitEquivalenceTest.assertEverySplitGives(SplitEquivalenceTest.singlePass(trace), trace);
    }

    @Test
    void withoutLossNothingIsFalsified() throws Exception {
        Path trace = Files.writeString(dir.resolve("trace.txt"), String.join("\n",
                line("dd", 7, 0, 1_000_000, "mm_vmscan_memcg_reclaim_begin: order=0"),
                line("dd", 7, 0, 1_000_500, "mm_vmscan_memcg_reclaim_end: nr_reclaimed=5"), ""));
        TraceMetrics m = TestTraces.analyze(trace);

        assertEquals(0, m.lost().records());
        assertEquals(0, m.memcgReclaim().broken());
        assertNull(m.falsifiedByLoss());
    }
}
