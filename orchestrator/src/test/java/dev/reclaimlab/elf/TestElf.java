package dev.reclaimlab.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Builds the smallest 64-bit little-endian ELF file with a {@code .modinfo} section: a stand-in kernel module. */
public final class TestElf {
    private TestElf() {}

    public static byte[] module(Map<String, String> modinfo) {
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        modinfo.forEach((k, v) -> info.writeBytes((k + "=" + v + "\0").getBytes(StandardCharsets.UTF_8)));
        byte[] modinfoBytes = info.toByteArray();
        byte[] names = "\0.shstrtab\0.modinfo\0".getBytes(StandardCharsets.US_ASCII);
        int modinfoOffset = 64;
        int namesOffset = modinfoOffset + modinfoBytes.length;
        int shoff = (namesOffset + names.length + 7) / 8 * 8;
        ByteBuffer b = ByteBuffer.allocate(shoff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
        b.putShort(0x10, (short) 1); // ET_REL
        b.putShort(0x12, (short) 183); // EM_AARCH64
        b.putLong(0x28, shoff);
        b.putShort(0x34, (short) 64);
        b.putShort(0x3A, (short) 64);
        b.putShort(0x3C, (short) 3);
        b.putShort(0x3E, (short) 1); // .shstrtab is section 1
        b.put(modinfoOffset, modinfoBytes);
        b.put(namesOffset, names);
        section(b, shoff + 64, 1, 3, namesOffset, names.length); // .shstrtab, SHT_STRTAB
        section(b, shoff + 128, 11, 1, modinfoOffset, modinfoBytes.length); // .modinfo, SHT_PROGBITS
        return b.array();
    }

    private static void section(ByteBuffer b, int at, int name, int type, long offset, long size) {
        b.putInt(at, name);
        b.putInt(at + 4, type);
        b.putLong(at + 0x18, offset);
        b.putLong(at + 0x20, size);
    }
}
