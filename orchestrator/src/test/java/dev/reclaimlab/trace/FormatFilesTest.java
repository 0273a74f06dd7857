package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A formats directory is read with limits: what cannot be a format file is left out, counted and named. */
class FormatFilesTest {
    private static final String END = "name: mm_vmscan_memcg_reclaim_end\nID: 1\nformat:\n"
            + "\tfield:unsigned long nr_reclaimed;\toffset:8;\tsize:8;\tsigned:0;\n\n"
            + "print fmt: \"nr_reclaimed=%lu\", REC->nr_reclaimed\n";

    @Test
    void aFileLargerThanAnyFormatFileIsNotRead(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("vmscan"));
        Files.writeString(dir.resolve("vmscan/mm_vmscan_memcg_reclaim_end.format"), END);
        // sparse: one byte more than the limit, without writing a megabyte
        try (RandomAccessFile big = new RandomAccessFile(dir.resolve("vmscan/big.format").toFile(), "rw")) {
            big.write(END.replace("memcg_reclaim_end", "direct_reclaim_end").getBytes());
            big.setLength(FormatFiles.MAX_BYTES + 1L);
        }
        Files.writeString(dir.resolve("vmscan/nameless.format"), "ID: 3\n");

        FormatFiles.Loaded loaded = FormatFiles.load(dir);

        assertEquals(List.of("mm_vmscan_memcg_reclaim_end"), List.copyOf(loaded.formats().keySet()));
        assertEquals(2, loaded.skipped());
        assertTrue(loaded.samples().contains(new FormatFiles.Skipped("vmscan/big.format",
                "larger than 1 MiB, not a format file")), loaded.samples().toString());
        assertTrue(loaded.samples().contains(new FormatFiles.Skipped("vmscan/nameless.format", "no name: line")),
                loaded.samples().toString());
    }

    @Test
    void aFileOfExactlyTheLimitIsRead(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("vmscan"));
        String padded = END + " ".repeat(FormatFiles.MAX_BYTES - END.length());
        Files.writeString(dir.resolve("vmscan/end.format"), padded);

        FormatFiles.Loaded loaded = FormatFiles.load(dir);

        assertEquals(0, loaded.skipped());
        assertEquals("nr_reclaimed=", loaded.formats().get("mm_vmscan_memcg_reclaim_end").labels().get("nr_reclaimed"));
    }

    @Test
    void filesPastTheLimitOfFilesAreCountedNotRead(@TempDir Path dir) throws Exception {
        Path system = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < FormatFiles.MAX_FILES + 3; i++) {
            Files.writeString(system.resolve("e" + i + ".format"), "name: e" + i + "\n");
        }

        FormatFiles.Loaded loaded = FormatFiles.load(dir);

        assertEquals(FormatFiles.MAX_FILES, loaded.formats().size());
        assertEquals(3, loaded.skipped());
        assertEquals(3, loaded.samples().size());
        assertTrue(loaded.samples().get(0).reason().startsWith("past the first 4096"), loaded.samples().toString());
    }

    @Test
    void noDirectoryNoFormats(@TempDir Path dir) throws Exception {
        assertEquals(new FormatFiles.Loaded(java.util.Map.of(), 0, List.of()), FormatFiles.load(dir.resolve("absent")));
    }
}
