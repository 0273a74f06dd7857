package dev.reclaimlab.kmod;

import dev.reclaimlab.arm64.Instruction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Mapping a kernel address to its place in /proc/kcore, as the arm64 guest's kcore lays it out. */
class KernelTextTest {

    /** An ELF64 core header with PT_NOTE and two PT_LOADs, like kcore's (values from the 6.1 arm64 guest). */
    static byte[] kcoreHeader() {
        ByteBuffer b = ByteBuffer.allocate(64 + 3 * 56).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.position(16);
        b.putShort((short) 4).putShort((short) 183).putInt(1).putLong(0).putLong(64).putLong(0).putInt(0)
                .putShort((short) 64).putShort((short) 56).putShort((short) 3);
        segment(b, 64, 4, 0x1000, 0, 0x800);                                       // PT_NOTE
        segment(b, 64 + 56, 1, 0xc34967603000L, 0xffffc34967600000L, 0x2000000);  // kernel text
        segment(b, 64 + 112, 1, 0x1000000L, 0xffff000000000000L, 0x40000000);     // linear map
        return b.array();
    }

    private static void segment(ByteBuffer b, int at, int type, long offset, long vaddr, long size) {
        b.putInt(at, type).putLong(at + 8, offset).putLong(at + 16, vaddr).putLong(at + 32, size).putLong(at + 40, size);
    }

    @Test
    void anAddressInKernelTextMapsToItsFileOffset() {
        assertEquals(Optional.of(0xc34967603000L + 0x250820L),
                KernelText.fileOffset(kcoreHeader(), 0xffffc34967600000L + 0x250820L));
    }

    @Test
    void anAddressNoSegmentHoldsIsNotFound() {
        assertEquals(Optional.empty(), KernelText.fileOffset(kcoreHeader(), 0xffffc34967600000L + 0x2000000L));
        assertEquals(Optional.empty(), KernelText.fileOffset(new byte[10], 0));
    }

    @Test
    void odOutputIsReadBackAsBytes() {
        byte[] header = kcoreHeader();
        StringBuilder od = new StringBuilder();
        for (int i = 0; i < header.length; i++) {
            od.append(i % 16 == 0 ? "\n" : " ").append(HexFormat.of().toHexDigits(header[i]));
        }
        assertEquals(HexFormat.of().formatHex(header), HexFormat.of().formatHex(KernelText.parseHexBytes(od.toString())));
    }

    @Test
    void wordsAreReadAsObjdumpPrintsThem() {
        assertEquals(List.of(new Instruction(0xaa1e03e9), new Instruction(0xd503201f)),
                KernelText.parseWords(" aa1e03e9 d503201f\n"));
    }

    @Test
    void aPlaceIsReadByItsWholeWordBlock() {
        KernelText.Place place = new KernelText.Place("shrink_slab", 0, 0xffffc34967850820L, 0x30d259e14208L);
        assertEquals(List.of(Long.toString(0x30d259e14208L), "2"), place.wordsArguments(2));
    }
}
