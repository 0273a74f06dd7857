package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The VM's data disk: a sparse raw file with an ext4 file system, mounted at /data in the guest. Made once per VM and
 * kept across boots.
 */
final class DataDisk {
    private DataDisk() {}

    /** Makes the disk if it does not exist yet; returns whether it did. */
    static boolean ensure(Path file, long bytes) throws IOException {
        if (Files.exists(file)) {
            return false;
        }
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
            f.setLength(bytes); // sparse: takes no space until the guest writes
        }
        // Inode tables and journal are written now rather than lazily by the guest kernel, whose background
        // initialisation would otherwise write to the disk during the first experiments.
        HostCommand.check(List.of("mkfs.ext4", "-q", "-F", "-L", "lab-data", "-m", "0",
                "-E", "lazy_itable_init=0,lazy_journal_init=0,nodiscard", partial.toString()), Duration.ofMinutes(5));
        Trees.moveIntoPlace(partial, file);
        return true;
    }
}
