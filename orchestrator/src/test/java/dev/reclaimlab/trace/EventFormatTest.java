package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Format files as tracefs writes them, and the labels their print fmt gives each field. */
class EventFormatTest {
    private static final Path STORM_FORMATS = Path.of("src/test/resources/traces/local-6.18-memcg-storm/formats");

    @Test
    void readsThisMachinesFormatFiles() throws Exception {
        Map<String, EventFormat> formats = EventFormat.loadAll(STORM_FORMATS);

        assertEquals(List.of("mm_shrink_slab_end", "mm_shrink_slab_start", "mm_vmscan_direct_reclaim_begin",
                "mm_vmscan_direct_reclaim_end", "mm_vmscan_lru_shrink_inactive", "mm_vmscan_memcg_reclaim_begin",
                "mm_vmscan_memcg_reclaim_end"), List.copyOf(formats.keySet()));
        EventFormat lru = formats.get("mm_vmscan_lru_shrink_inactive");
        assertEquals(List.of("nid", "nr_scanned", "nr_reclaimed", "nr_dirty", "nr_writeback", "nr_congested",
                "nr_immediate", "nr_activate0", "nr_activate1", "nr_ref_keep", "nr_unmap_fail", "priority",
                "reclaim_flags"), lru.fields(), "common_* fields left out");
        assertEquals("nid=", lru.labels().get("nid"));
        assertEquals(" nr_scanned=", lru.labels().get("nr_scanned"));
        assertEquals(" nr_activate_anon=", lru.labels().get("nr_activate0"), "the label, not the field name");
        assertEquals(" flags=", lru.labels().get("reclaim_flags"), "an argument inside __print_flags(...)");
        assertEquals("nr_reclaimed=", formats.get("mm_vmscan_memcg_reclaim_end").labels().get("nr_reclaimed"));
        Map<String, String> slabEnd = formats.get("mm_shrink_slab_end").labels();
        assertEquals("", slabEnd.get("shrink"), "%pS first");
        assertEquals(": nid: ", slabEnd.get("nid"), "after %p");
        assertEquals(" last shrinker return val ", slabEnd.get("retval"));
        Map<String, String> slabStart = formats.get("mm_shrink_slab_start").labels();
        assertEquals(" priority ", slabStart.get("priority"), "after a gfp_flags argument full of nested parentheses");
        assertEquals(" cache items ", slabStart.get("cache_items"));
    }

    @Test
    void readsOlderKernelsPrintFormats() {
        // 4.18: memcg_reclaim_begin with may_writepage and classzone_idx; shrink_slab without nid (before 4.16)
        Map<String, String> begin = PrintFormat.labels(" \"order=%d may_writepage=%d gfp_flags=%s classzone_idx=%d\","
                + " REC->order, REC->may_writepage, (REC->gfp_flags) ? __print_flags(REC->gfp_flags, \"|\","
                + " {(unsigned long)0x1u, \"GFP_DMA\"}) : \"none\", REC->classzone_idx");
        assertEquals(Map.of("order", "order=", "may_writepage", " may_writepage=", "gfp_flags", " gfp_flags=",
                "classzone_idx", " classzone_idx="), begin);
        Map<String, String> oldSlab = PrintFormat.labels(" \"%pF %p: objects to shrink %ld gfp_flags %s pgs_scanned %ld"
                + " lru_pgs %ld cache items %ld delta %lld total_scan %ld\", REC->shrink, REC->shr,"
                + " REC->nr_objects_to_shrink, show_gfp_flags(REC->gfp_flags), REC->pgs_scanned, REC->lru_pgs,"
                + " REC->cache_items, REC->delta, REC->total_scan");
        assertEquals(": objects to shrink ", oldSlab.get("nr_objects_to_shrink"));
        assertEquals(" total_scan ", oldSlab.get("total_scan"));
        assertNull(oldSlab.get("nid"));
        assertEquals(Map.of("a", "50%% ", "b", " x"), PrintFormat.labels("\"50%%%% %d x%*d\", REC->a, 8, REC->b"),
                "%% prints '%', %*d takes its width from an argument");
    }

    @Test
    void toleratesBrokenAndMissingFiles(@TempDir Path dir) throws Exception {
        assertEquals(Map.of(), EventFormat.loadAll(dir.resolve("absent")));
        Files.createDirectories(dir.resolve("vmscan"));
        Files.writeString(dir.resolve("vmscan/empty.format"), "");
        Files.writeString(dir.resolve("vmscan/cut.format"), "name: cut\nID: 1\nformat:\n\tfield:int x;\toffset:8;\n"
                + "print fmt: \"x=%d");
        Files.writeString(dir.resolve("vmscan/garbage.format"), "\u0000\u0001 no structure");

        Map<String, EventFormat> formats = EventFormat.loadAll(dir);

        assertEquals(List.of("cut"), List.copyOf(formats.keySet()));
        assertEquals(List.of("x"), formats.get("cut").fields());
        assertTrue(formats.get("cut").labels().isEmpty(), "an unterminated print fmt gives no labels");
    }

    @Test
    void fieldNamesAsDeclarationsGiveThem() {
        assertEquals("nr_reclaimed", EventFormat.fieldName("unsigned long nr_reclaimed"));
        assertEquals("comm", EventFormat.fieldName("char comm[16]"));
        assertEquals("name", EventFormat.fieldName("const char *name"));
        assertEquals("name", EventFormat.fieldName("__data_loc char[] name"));
        assertEquals("x", EventFormat.fieldName("int x[2][3]"));
        assertEquals("", EventFormat.fieldName("int "));
        // the regular expressions it replaced, on short declarations of every shape
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder declaration = new StringBuilder();
            for (int n = random.nextInt(12); n > 0; n--) {
                declaration.append(" \t*[]a_1".charAt(random.nextInt(8)));
            }
            String d = declaration.toString();
            assertEquals(d.replaceAll("\\[.*]$", "").replaceAll(".*[\\s*]", ""), EventFormat.fieldName(d), "'" + d + "'");
        }
    }

    @Test
    void hundredKilobyteLinesAreReadInLinearTime() {
        // the regular expressions this replaced took 34 to 49 s on the first of these lines
        String name = "x".repeat(100_000);
        String text = "name: mm_vmscan_memcg_reclaim_end\nID: 1\nformat:\n"
                + "\tfield:unsigned long " + name + ";\toffset:8;\tsize:8;\tsigned:0;\n"
                + "\tfield:int " + "[".repeat(100_000) + ";\toffset:16;\tsize:4;\tsigned:1;\n"
                + "\tfield:char " + "*".repeat(100_000) + "tail;\toffset:20;\tsize:8;\tsigned:0;\n\n"
                + "print fmt: \"" + "y".repeat(100_000) + "nr_reclaimed=%lu\", REC->nr_reclaimed\n";

        EventFormat format = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> EventFormat.parse(text));

        assertEquals(List.of(name, "[".repeat(100_000), "tail"), format.fields());
        assertEquals("y".repeat(100_000) + "nr_reclaimed=", format.labels().get("nr_reclaimed"));
    }
}
