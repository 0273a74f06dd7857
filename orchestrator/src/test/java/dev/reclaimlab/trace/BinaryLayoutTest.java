package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** header_page, format files and kallsyms read into what decoding binary records needs. */
class BinaryLayoutTest {
    private static final Path FORMATS = Path.of("src/test/resources/traces/local-6.18-memcg-storm/formats/vmscan");

    @Test
    void headerPageOfA64BitAndA32BitKernel() {
        String x86 = """
                \tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;
                \tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;
                \tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;
                \tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;
                """;
        assertEquals(Optional.of(HeaderPage.X86_64), HeaderPage.parse(x86));
        assertEquals(4096, HeaderPage.X86_64.pageSize());
        String arm32 = x86.replace("size:8;\tsigned:1", "size:4;\tsigned:1").replace("offset:16;\tsize:4080",
                "offset:12;\tsize:4084");
        assertEquals(Optional.of(new HeaderPage(0, 8, 4, 12, 4084)), HeaderPage.parse(arm32));
        String bigSubBuffer = x86.replace("size:4080", "size:65520");
        assertEquals(65536, HeaderPage.parse(bigSubBuffer).orElseThrow().pageSize(), "sub-buffers since 6.8");
        assertEquals(Optional.empty(), HeaderPage.parse(""), "an empty header_page is the pre-2.6.31 layout");
        assertEquals(Optional.empty(), HeaderPage.parse(x86.replace("u64 timestamp;\toffset:0;\tsize:8",
                "u64 timestamp;\toffset:0;\tsize:4")));
        assertEquals(Optional.empty(), HeaderPage.parse(x86.replace("size:4080", "size:999999999")));
    }

    @Test
    void formatFilesGiveOffsetsSizesSignsAndTheId() throws IOException {
        EventLayout lru = EventLayout.parse(Files.readString(FORMATS.resolve("mm_vmscan_lru_shrink_inactive.format")));
        assertEquals("mm_vmscan_lru_shrink_inactive", lru.name());
        assertEquals(new FieldLayout("nr_scanned", "unsigned long", 16, 8, false, -1, FieldLayout.Location.INLINE),
                lru.field("nr_scanned"));
        assertEquals(new FieldLayout("common_pid", "int", 4, 4, true, -1, FieldLayout.Location.INLINE),
                lru.field("common_pid"));
        assertEquals(Map.of("RECLAIM_WB_ANON", 1L, "RECLAIM_WB_FILE", 2L, "RECLAIM_WB_MIXED", 16L,
                "RECLAIM_WB_SYNC", 4L, "RECLAIM_WB_ASYNC", 8L), PrintFormat.flags(lru.printFmt(), "reclaim_flags"));
        EventLayout slab = EventLayout.parse(Files.readString(FORMATS.resolve("mm_shrink_slab_start.format")));
        assertEquals(631, slab.id());
        assertEquals(8, slab.field("shrink").size());
        assertEquals(Map.of(), PrintFormat.flags(slab.printFmt(), "gfp_flags"),
                "a gfp table's values are expressions ((1UL) << (6)): left out, never guessed");
        assertNull(EventLayout.parse("name: x\nformat:\n"), "no ID: no record can be matched to it");
    }

    @Test
    void integersArraysAndDynamicStringsAreReadInsideTheRecordOnly() {
        FieldLayout count = FieldLayout.parse("field:long delta;\toffset:8;\tsize:8;\tsigned:1;");
        FieldLayout small = FieldLayout.parse("field:unsigned short x;\toffset:16;\tsize:2;\tsigned:0;");
        FieldLayout comm = FieldLayout.parse("field:char comm[16];\toffset:18;\tsize:16;\tsigned:0;");
        FieldLayout name = FieldLayout.parse("field:__data_loc char[] name;\toffset:36;\tsize:4;\tsigned:0;");
        assertEquals(16, comm.elements());
        assertTrue(comm.isText() && name.isText() && !count.isText());
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer b = ByteBuffer.allocate(64).order(order);
            int record = 4;
            b.putLong(record + 8, -5);
            b.putShort(record + 16, (short) 0xfffe);
            b.put(record + 18, "kswapd0".getBytes(StandardCharsets.ISO_8859_1));
            b.putInt(record + 36, 6 << 16 | 40);
            b.put(record + 40, "shrink\0".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(-5, count.integer(b, record, 48));
            assertEquals(0xfffe, small.integer(b, record, 48));
            assertEquals("kswapd0", comm.text(b, record, 48));
            assertEquals("shrink", name.text(b, record, 48));
            assertEquals(FieldLayout.NO_VALUE, count.integer(b, record, 12), "past the record's end");
            assertEquals("", name.text(b, record, 44), "data past the record's end");
        }
        assertNull(FieldLayout.parse("field:int x;\toffset:-1;\tsize:4;"));
        assertNull(FieldLayout.parse("field:int x;\toffset:2147483647;\tsize:4;"));
    }

    @Test
    void kallsymsNameAddressesAsPercentPsDoes() throws IOException {
        String text = """
                0000000000000000 T hidden_when_restricted
                ffffffff81300000 T super_cache_scan
                ffffffff81300200 t count_shadow_nodes
                ffffffff81400000 D some_data
                ffffffffc0a00000 t deferred_split_scan\t[mymod]
                garbage line
                """;
        Kallsyms k = Kallsyms.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(3, k.size(), "text symbols with an address");
        assertArrayEquals(ascii("super_cache_scan"), k.name(0xffffffff81300000L));
        assertArrayEquals(ascii("super_cache_scan"), k.name(0xffffffff81300010L), "inside the function");
        assertArrayEquals(ascii("count_shadow_nodes"), k.name(0xffffffff81400010L), "data symbols are not kept");
        assertArrayEquals(ascii("deferred_split_scan"), k.name(0xffffffffc0a00040L), "a module's, without [mod]");
        assertArrayEquals(ascii("0x1234"), k.name(0x1234), "below every symbol: the address, as %pS prints it");
        Cmdlines c = Cmdlines.read(new ByteArrayInputStream("17 dd\n100 worker one\nbad\n".getBytes(
                StandardCharsets.ISO_8859_1)));
        assertEquals("worker one", c.comm(100));
        assertEquals("<...>", c.comm(5));
        assertEquals("<idle>", c.comm(0));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
