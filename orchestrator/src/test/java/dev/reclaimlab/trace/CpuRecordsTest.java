package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pages built byte by byte as the kernel lays them out, in both byte orders, decoded by {@link CpuRecords}. */
class CpuRecordsTest {
    @TempDir
    Path dir;

    private static final CpuRecords.Item R = CpuRecords.Item.RECORD;
    private static final CpuRecords.Item L = CpuRecords.Item.LOST;

    private Pages page(boolean big, long ts) {
        return big ? Pages.be(ts) : Pages.le(ts);
    }

    private static ByteOrder order(boolean big) {
        return big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    @ParameterizedTest(name = "big endian: {0}")
    @ValueSource(booleans = {false, true})
    void timeStampsAddUpAsTheKernelWroteThem(boolean big) throws IOException {
        long base = 1_000_000_000L;
        byte[] p = page(big, base)
                .event(0, 7, 100, 1)                       // at the page's time
                .event(500, 7, 100, 2)                     // + 500
                .extend((1L << 28) + 123).event(0, 7, 101) // + a delta too large for 27 bits
                .discarded(1, 20)                          // a discarded event: skipped, its delta added
                .event(10, 8, 102)
                .bigEvent(3, 9, 103, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14) // type_len 0: 120 bytes
                .stamp(3_000_000_000L).event(0, 7, 104)   // absolute
                .event(1, 7, 105)
                .bytes();
        PageDamage[] damage = new PageDamage[1];
        List<Pages.Item> items = Pages.decode(Pages.write(dir, p), order(big), damage);
        long t2 = base + 500 + (1L << 28) + 123;
        assertEquals(List.of(new Pages.Item(R, base, 7, 100, 0, 16), new Pages.Item(R, base + 500, 7, 100, 0, 16),
                new Pages.Item(R, t2, 7, 101, 0, 8), new Pages.Item(R, t2 + 11, 8, 102, 0, 8),
                new Pages.Item(R, t2 + 14, 9, 103, 0, 120), new Pages.Item(R, 3_000_000_000L, 7, 104, 0, 8),
                new Pages.Item(R, 3_000_000_001L, 7, 105, 0, 8)), items);
        assertEquals(1, damage[0].discarded);
        assertEquals(1, damage[0].timeExtends);
        assertEquals(1, damage[0].timeStamps);
        assertEquals(0, damage[0].damaged());
    }

    @ParameterizedTest(name = "big endian: {0}")
    @ValueSource(booleans = {false, true})
    void anAbsoluteStampTakesTheTopFiveBitsFromTheRunningTime(boolean big) throws IOException {
        long tai = 0xf8L << 56 | 1_700_000_000_000_000_000L & ~(0xf8L << 56); // top bits set, as with the tai clock
        long abs = tai + 5_000;
        byte[] p = page(big, tai).event(0, 7, 1).stamp(abs & ~(0xf8L << 56)).event(0, 7, 2).bytes();
        List<Pages.Item> items = Pages.decode(Pages.write(dir, p), order(big), null);
        assertEquals(tai, items.get(0).ts());
        assertEquals(abs, items.get(1).ts());
    }

    @ParameterizedTest(name = "big endian: {0}")
    @ValueSource(booleans = {false, true})
    void lostEventsComeBeforeThePageThatReportsThem(boolean big) throws IOException {
        byte[] first = page(big, 100).event(0, 7, 1).bytes();
        byte[] counted = page(big, 200).missed(42L).event(5, 7, 2).bytes();
        byte[] uncounted = page(big, 300).missed(null).event(5, 7, 3).bytes();
        PageDamage[] damage = new PageDamage[1];
        List<Pages.Item> items = Pages.decode(Pages.write(dir, first, counted, uncounted), order(big), damage);
        assertEquals(List.of(new Pages.Item(R, 100, 7, 1, 0, 8), new Pages.Item(L, 200, -1, -1, 42, 0),
                new Pages.Item(R, 205, 7, 2, 0, 8), new Pages.Item(L, 300, -1, -1, CpuRecords.UNKNOWN, 0),
                new Pages.Item(R, 305, 7, 3, 0, 8)), items);
        assertEquals(2, damage[0].missedPages);
        assertEquals(1, damage[0].missedUnknown);
        assertEquals(42, damage[0].lostEvents);
    }

    @Test
    void paddingWithoutDeltaEndsThePage() throws IOException {
        Pages b = Pages.le(10).event(0, 7, 1).word(CpuRecords.PADDING, 0);
        b.event(0, 7, 2); // after the null padding: never reached
        byte[] p = b.bytes();
        assertEquals(List.of(new Pages.Item(R, 10, 7, 1, 0, 8)),
                Pages.decode(Pages.write(dir, p), ByteOrder.LITTLE_ENDIAN, null));
    }

    @Test
    void aTruncatedLastPageGivesItsWholeEventsAndIsCounted() throws IOException {
        byte[] full = Pages.le(10).event(0, 7, 1).bytes();
        byte[] cut = java.util.Arrays.copyOf(Pages.le(20).event(0, 7, 2).event(1, 7, 3).event(1, 7, 4).bytes(),
                16 + 16 + 8); // the header, two events and half of the third
        PageDamage[] damage = new PageDamage[1];
        List<Pages.Item> items = Pages.decode(Pages.write(dir, full, cut), ByteOrder.LITTLE_ENDIAN, damage);
        assertEquals(List.of(10L, 20L, 21L), items.stream().map(Pages.Item::ts).toList());
        assertEquals(1, damage[0].truncatedPages);
        assertEquals(2, damage[0].pages);
    }

    @Test
    void aCommitLargerThanThePageSkipsThePage() throws IOException {
        byte[] bad = Pages.le(10).event(0, 7, 1).bytes(5000L);
        byte[] good = Pages.le(20).event(0, 7, 2).bytes();
        PageDamage[] damage = new PageDamage[1];
        List<Pages.Item> items = Pages.decode(Pages.write(dir, bad, good), ByteOrder.LITTLE_ENDIAN, damage);
        assertEquals(List.of(20L), items.stream().map(Pages.Item::ts).toList());
        assertEquals(1, damage[0].badCommitPages);
    }

    @Test
    void anEventLongerThanTheCommitEndsThePageAndIsCounted() throws IOException {
        Pages b = Pages.le(10).event(0, 7, 1);
        int at = b.pos();
        b.word(0, 1).u32(4000); // type_len 0 whose length runs past the data
        byte[] p = b.bytes((long) (at - 16 + 8 + 16));
        PageDamage[] damage = new PageDamage[1];
        List<Pages.Item> items = Pages.decode(Pages.write(dir, p), ByteOrder.LITTLE_ENDIAN, damage);
        assertEquals(1, items.size());
        assertEquals(1, damage[0].badEvents);
    }

    @Test
    void aHeaderPageClaimingHugePagesCostsOnlyWhatTheFileHolds() throws IOException {
        HeaderPage huge = new HeaderPage(0, 8, 8, 16, HeaderPage.MAX_PAGE_SIZE - 16);
        Path f = Pages.write(dir, Pages.le(10).event(0, 7, 1).bytes());
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            CpuRecords r = new CpuRecords(0, huge, ByteOrder.LITTLE_ENDIAN, ch, 0, ch.size());
            assertEquals(4096, r.buffer().capacity());
            assertEquals(CpuRecords.Item.RECORD, r.next(), "its whole events still decode");
            assertEquals(CpuRecords.Item.END, r.next());
            assertEquals(1, r.damage().truncatedPages);
        }
    }

    @Test
    void randomAndMutatedPagesNeverThrowAndAreCounted() throws IOException {
        Random random = new Random(20260301);
        byte[] valid = Pages.le(1000).event(0, 7, 1, 5).extend(1L << 30).event(3, 7, 2).discarded(2, 16)
                .bigEvent(1, 9, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15).stamp(99_999).event(0, 7, 4)
                .missed(3L).bytes();
        long records = 0;
        long damaged = 0;
        for (int round = 0; round < 400; round++) {
            byte[] p;
            if (round % 4 == 0) {
                p = new byte[4096];
                random.nextBytes(p);
            } else {
                p = valid.clone();
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    p[random.nextInt(16 + 200)] = (byte) random.nextInt(256);
                }
            }
            int cut = round % 7 == 0 ? random.nextInt(4096) : 4096;
            Path f = dir.resolve("fuzz" + round);
            Files.write(f, java.util.Arrays.copyOf(p, cut));
            PageDamage[] damage = new PageDamage[1];
            List<Pages.Item> items = Pages.decode(f, ByteOrder.LITTLE_ENDIAN, damage);
            assertTrue(items.size() <= 4096 / 4, "no more items than a page can hold");
            records += damage[0].records;
            damaged += damage[0].damaged();
        }
        assertTrue(damaged > 100, "damage is counted: " + damaged);
        assertTrue(records > 0, "mutated pages still give their intact events: " + records);
    }
}
