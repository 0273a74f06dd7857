package dev.reclaimlab.host;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * A host's boot id ({@code /proc/sys/kernel/random/boot_id}): new at every boot, so it tells a host that rebooted from
 * one whose connection only broke.
 */
public final class BootId {
    public static final String COMMAND = "cat /proc/sys/kernel/random/boot_id";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private BootId() {
    }

    /** The boot id, read on {@code transport}. */
    public static String read(Transport transport) throws IOException {
        ExecResult r = transport.exec(COMMAND, TIMEOUT);
        if (!r.ok() || r.stdout().isBlank()) {
            throw new IOException(transport.hostName() + ": cannot read its boot id (" + r.outcome() + ")");
        }
        return r.stdout().strip();
    }

    /** The boot id over a new connection, or empty while the host does not answer. */
    public static Optional<String> readQuietly(TransportFactory transports, HostSpec host) {
        try (Transport transport = transports.open(host)) {
            return Optional.of(read(transport));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
