package dev.reclaimlab.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Just enough of a 64-bit little-endian ELF file (what arm64 Debian ships) to build a guest: a program's interpreter
 * and the libraries it needs (so only those go into the initramfs), and a kernel module's {@code .modinfo} (so its
 * dependencies load first), and of a module lab cross-built, its machine and vermagic. Reading them here means the host
 * needs no readelf or modinfo and no arm64 emulation.
 */
public final class Elf {
    /** {@code e_type} of an object file that is linked later, which is what a kernel module is. */
    public static final int ET_REL = 1;
    /** {@code e_machine} of 64-bit ARM. */
    public static final int EM_AARCH64 = 183;

    private static final int PT_DYNAMIC = 2;
    private static final int PT_INTERP = 3;
    private static final int PT_LOAD = 1;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;

    private final ByteBuffer b;
    private final String name;

    private Elf(byte[] bytes, String name) {
        this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        this.name = name;
        if (bytes.length < 64 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new IllegalArgumentException(name + " is not an ELF file");
        }
        if (bytes[4] != 2 || bytes[5] != 1) {
            throw new IllegalArgumentException(name + " is not a 64-bit little-endian ELF file");
        }
    }

    public static Elf parse(byte[] bytes, String name) {
        return new Elf(bytes, name);
    }

    /** {@code e_type}: {@link #ET_REL} for a kernel module. */
    public int type() {
        return Short.toUnsignedInt(b.getShort(0x10));
    }

    /** {@code e_machine}: {@link #EM_AARCH64} for what runs in the guest. */
    public int machine() {
        return Short.toUnsignedInt(b.getShort(0x12));
    }

    /** The program interpreter ({@code /lib/ld-linux-aarch64.so.1}); empty for static programs and libraries. */
    public Optional<String> interpreter() {
        for (long[] ph : programHeaders()) {
            if (ph[0] == PT_INTERP) {
                return Optional.of(cString((int) ph[1]));
            }
        }
        return Optional.empty();
    }

    /** The sonames in DT_NEEDED, in order. */
    public List<String> needed() {
        List<String> out = new ArrayList<>();
        for (long[] ph : programHeaders()) {
            if (ph[0] != PT_DYNAMIC) {
                continue;
            }
            List<Long> offsets = new ArrayList<>();
            long strtab = -1;
            for (long at = ph[1]; at + 16 <= ph[1] + ph[3]; at += 16) {
                long tag = b.getLong((int) at);
                long value = b.getLong((int) at + 8);
                if (tag == DT_NULL) {
                    break;
                } else if (tag == DT_NEEDED) {
                    offsets.add(value);
                } else if (tag == DT_STRTAB) {
                    strtab = value;
                }
            }
            if (strtab < 0) {
                throw new IllegalArgumentException(name + ": dynamic section without a string table");
            }
            long table = fileOffset(strtab);
            for (long offset : offsets) {
                out.add(cString((int) (table + offset)));
            }
        }
        return out;
    }

    /**
     * The {@code key=value} entries of a kernel module's {@code .modinfo} section; repeated keys (alias, softdep) are
     * joined with a space.
     */
    public Map<String, String> modinfo() {
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3A));
        int shnum = Short.toUnsignedInt(b.getShort(0x3C));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3E));
        if (shoff == 0 || shnum == 0) {
            throw new IllegalArgumentException(name + " has no sections");
        }
        long names = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        for (int i = 0; i < shnum; i++) {
            int sh = (int) (shoff + (long) i * shentsize);
            String section = cString((int) (names + Integer.toUnsignedLong(b.getInt(sh))));
            if (!section.equals(".modinfo")) {
                continue;
            }
            int offset = (int) b.getLong(sh + 0x18);
            int size = (int) b.getLong(sh + 0x20);
            Map<String, String> info = new LinkedHashMap<>();
            int start = offset;
            for (int at = offset; at < offset + size; at++) {
                if (b.get(at) == 0) {
                    if (at > start) {
                        String entry = new String(b.array(), start, at - start, StandardCharsets.UTF_8);
                        int eq = entry.indexOf('=');
                        if (eq > 0) {
                            info.merge(entry.substring(0, eq), entry.substring(eq + 1), (x, y) -> x + " " + y);
                        }
                    }
                    start = at + 1;
                }
            }
            return info;
        }
        throw new IllegalArgumentException(name + " has no .modinfo section (not a kernel module?)");
    }

    /** {p_type, p_offset, p_vaddr, p_filesz} of every program header. */
    private List<long[]> programHeaders() {
        long phoff = b.getLong(0x20);
        int phentsize = Short.toUnsignedInt(b.getShort(0x36));
        int phnum = Short.toUnsignedInt(b.getShort(0x38));
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            out.add(new long[] {Integer.toUnsignedLong(b.getInt(ph)), b.getLong(ph + 8), b.getLong(ph + 16),
                    b.getLong(ph + 32)});
        }
        return out;
    }

    /** Where the byte at virtual address {@code vaddr} is in the file. */
    private long fileOffset(long vaddr) {
        return segmentOffset(vaddr).orElseThrow(() -> new IllegalArgumentException(
                name + ": address 0x" + Long.toHexString(vaddr) + " is in no segment"));
    }

    /**
     * Where the byte at virtual address {@code vaddr} is in the file, if a PT_LOAD segment holds it. Addresses compare
     * unsigned: kernel addresses ({@code 0xffff...}, e.g. in {@code /proc/kcore}) are negative as Java longs. Works on
     * the first bytes of a file too, as long as they include the program headers.
     */
    public Optional<Long> segmentOffset(long vaddr) {
        for (long[] ph : programHeaders()) {
            if (ph[0] == PT_LOAD && Long.compareUnsigned(vaddr, ph[2]) >= 0
                    && Long.compareUnsigned(vaddr - ph[2], ph[3]) < 0) {
                return Optional.of(ph[1] + (vaddr - ph[2]));
            }
        }
        return Optional.empty();
    }

    private String cString(int at) {
        int end = at;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        return new String(b.array(), at, end - at, StandardCharsets.UTF_8);
    }
}
