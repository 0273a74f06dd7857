package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
}
