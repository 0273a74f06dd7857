package dev.reclaimlab.bisect;

import dev.reclaimlab.local.ExclusiveLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * One bisect per host at a time, on this orchestrator: two would boot kernels under each other's measurements. The
 * lease is a file lock under {@code $LAB_HOME/leases}, so a killed bisect never leaves it taken; who holds it is
 * written beside it for the message the second one gets.
 */
public final class HostLease implements AutoCloseable {
    private final ExclusiveLock lock;

    private HostLease(ExclusiveLock lock) {
        this.lock = lock;
    }

    /** The lease on {@code host}; an error naming the holder if another bisect has it. */
    public static HostLease take(Path labHome, String host, Path bisectDir) throws IOException {
        Path dir = labHome.resolve("leases");
        Path holderFile = dir.resolve(host + ".holder");
        Optional<ExclusiveLock> lock = ExclusiveLock.tryAcquire(dir.resolve(host + ".lock"));
        if (lock.isEmpty()) {
            String holder = Files.isRegularFile(holderFile)
                    ? Files.readString(holderFile, StandardCharsets.UTF_8).strip() : "another lab process";
            throw new LeaseTakenException("host " + host + " is being bisected by " + holder
                    + "; one bisect drives a host at a time");
        }
        Files.writeString(holderFile, "pid " + ProcessHandle.current().pid() + " (" + bisectDir.toAbsolutePath()
                + ")\n", StandardCharsets.UTF_8);
        return new HostLease(lock.get());
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }

    /** Another bisect holds the host. */
    public static final class LeaseTakenException extends IOException {
        public LeaseTakenException(String message) {
            super(message);
        }
    }
}
