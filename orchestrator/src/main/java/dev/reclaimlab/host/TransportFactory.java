package dev.reclaimlab.host;

import java.io.IOException;

/** Opens the connection to a host: SSH for inventory hosts, a local shell for {@code local}. */
@FunctionalInterface
public interface TransportFactory {
    Transport open(HostSpec host) throws IOException;
}
