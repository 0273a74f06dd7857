package dev.reclaimlab.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a file, between lab processes: two {@code lab vm up} must not build the same cache part or
 * boot the same VM at once, nor two builds write the same kernel headers or modules into the cache. The kernel drops
 * the lock when the process dies, so a crash never leaves it stuck.
 */
public final class ExclusiveLock implements AutoCloseable {
    private final FileChannel channel;

    private ExclusiveLock(FileChannel channel) {
        this.channel = channel;
    }

    /** Takes the lock on {@code file}, running {@code onWait} first if another process holds it. */
    public static ExclusiveLock acquire(Path file, Runnable onWait) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                onWait.run();
                channel.lock();
            }
            return new ExclusiveLock(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Takes the lock on {@code file} if no other process holds it; empty if one does. */
    public static java.util.Optional<ExclusiveLock> tryAcquire(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException heldHere) {
                lock = null; // this JVM holds it already: taken all the same
            }
            if (lock == null) {
                channel.close();
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new ExclusiveLock(channel));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close(); // releases the lock
    }
}
