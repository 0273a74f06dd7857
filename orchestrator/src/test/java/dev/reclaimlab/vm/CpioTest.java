package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class CpioTest {
    /** One entry as the kernel's initramfs unpacker reads it. */
    record Entry(String name, int mode, int rdevMajor, int rdevMinor, byte[] data) {}

    /** Reads a gzip-compressed newc archive, checking magic and 4-byte alignment as the kernel does. */
    static List<Entry> read(byte[] gz) throws IOException {
        byte[] raw;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            raw = in.readAllBytes();
        }
        List<Entry> entries = new ArrayList<>();
        int at = 0;
        while (true) {
            String header = new String(raw, at, 110, StandardCharsets.US_ASCII);
            assertEquals("070701", header.substring(0, 6), "magic at " + at);
            int[] f = new int[13];
            for (int i = 0; i < 13; i++) {
                f[i] = Integer.parseUnsignedInt(header.substring(6 + 8 * i, 14 + 8 * i), 16);
            }
            int nameSize = f[11];
            String name = new String(raw, at + 110, nameSize - 1, StandardCharsets.UTF_8);
            at = align(at + 110 + nameSize);
            byte[] data = Arrays.copyOfRange(raw, at, at + f[6]);
            at = align(at + f[6]);
            if (name.equals("TRAILER!!!")) {
                return entries;
            }
            entries.add(new Entry(name, f[1], f[9], f[10], data));
        }
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    @Test
    void writesNewcEntriesWithParentsFirstAndExactModes() throws Exception {
        byte[] gz = Cpio.inMemory(c -> {
            c.file("/etc/lab/boot", 0755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
            c.dir("/root", 0700);
            c.symlink("/bin/sh", "busybox");
            c.charDevice("/dev/console", 0600, 5, 1);
            c.file("/odd", 0644, new byte[] {1, 2, 3});
        });
        List<Entry> entries = read(gz);
        assertEquals(List.of("etc", "etc/lab", "etc/lab/boot", "root", "bin", "bin/sh", "dev", "dev/console", "odd"),
                entries.stream().map(Entry::name).toList());
        assertEquals(0040755, entries.get(0).mode());
        assertEquals(0100755, entries.get(2).mode());
        assertArrayEquals("#!/bin/sh\n".getBytes(StandardCharsets.UTF_8), entries.get(2).data());
        assertEquals(0040700, entries.get(3).mode());
        assertEquals(0120777, entries.get(5).mode());
        assertEquals("busybox", new String(entries.get(5).data(), StandardCharsets.UTF_8));
        assertEquals(0020600, entries.get(7).mode());
        assertEquals(5, entries.get(7).rdevMajor());
        assertEquals(1, entries.get(7).rdevMinor());
        assertArrayEquals(new byte[] {1, 2, 3}, entries.get(8).data());
    }

    @Test
    void theSameInputGivesTheSameArchive() throws Exception {
        Cpio.Writer w = c -> c.file("/a/b", 0644, "x".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(Cpio.inMemory(w), Cpio.inMemory(w));
    }

    @Test
    void pathsMustBeAbsoluteAndClean() {
        assertThrows(IllegalArgumentException.class, () -> Cpio.inMemory(c -> c.file("etc/x", 0644, new byte[0])));
        assertThrows(IllegalArgumentException.class, () -> Cpio.inMemory(c -> c.dir("/etc/", 0755)));
        assertThrows(IllegalArgumentException.class, () -> Cpio.inMemory(c -> c.dir("/", 0755)));
    }
}
