package dev.reclaimlab.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelFolderTest {
    @TempDir
    Path dir;

    /** An image whose banner sits after a megabyte of other bytes, so it crosses the reader's first buffer. */
    private static byte[] image(String release) {
        byte[] filler = new byte[(1 << 20) - 10];
        byte[] banner = ("Linux version " + release + " (debian-kernel@lists.debian.org) (gcc 12) #1 SMP")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[filler.length + banner.length];
        System.arraycopy(banner, 0, all, filler.length, banner.length);
        return all;
    }

    @Test
    void theReleaseComesFromTheBannerOfAPlainOrGzippedImage() throws Exception {
        Files.write(dir.resolve("Image"), image("6.12.0-rc1-lab+"));
        KernelFolder plain = KernelFolder.read(dir);
        assertEquals("6.12.0-rc1-lab+", plain.release());
        assertEquals(Optional.empty(), plain.initrd());

        Path gz = Files.createDirectories(dir.resolve("gz"));
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz.resolve("vmlinuz")))) {
            out.write(image("6.1.0-99-arm64"));
        }
        Files.writeString(gz.resolve("initrd.img"), "cpio");
        KernelFolder gzipped = KernelFolder.read(gz);
        assertEquals("6.1.0-99-arm64", gzipped.release());
        assertEquals(Optional.of(gz.resolve("initrd.img")), gzipped.initrd());
    }

    @Test
    void aReleaseFileWinsAndMustNameFilesSafely() throws Exception {
        Files.write(dir.resolve("vmlinuz"), image("6.12.0"));
        Files.writeString(dir.resolve("release"), "6.12.0-mine\n");
        assertEquals("6.12.0-mine", KernelFolder.read(dir).release());
        Files.writeString(dir.resolve("release"), "6.12 ; rm -rf /\n");
        IOException e = assertThrows(IOException.class, () -> KernelFolder.read(dir));
        assertTrue(e.getMessage().contains("not a kernel release lab can name files with"), e.getMessage());
    }

    @Test
    void whatAFolderLacksIsSaid() throws Exception {
        assertTrue(assertThrows(IOException.class, () -> KernelFolder.read(dir)).getMessage().contains("no kernel image"));
        Files.write(dir.resolve("vmlinuz"), new byte[4096]);
        assertTrue(assertThrows(IOException.class, () -> KernelFolder.read(dir)).getMessage()
                .contains("write it into " + dir.resolve("release")));
        assertEquals(Optional.empty(), KernelFolder.folderOf("6.12.0-1-arm64"), "a release is not a folder");
        assertEquals(Optional.of(dir), KernelFolder.folderOf(dir.toString()));
    }
}
