package dev.reclaimlab.host;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * Opens transports for inventory hosts: the built-in {@code local} runs a local shell, every other host is reached
 * over SSH (through its jump host, if it names one).
 *
 * @param acceptNewHostKeys the user's opt-in ({@code --accept-new-host-keys}) to learn unknown host keys for every
 *                          host; changed keys are refused regardless
 */
public record Transports(Inventory inventory, boolean acceptNewHostKeys) implements TransportFactory {

    @Override
    public Transport open(HostSpec host) throws IOException {
        if (host.isLocal()) {
            return new LocalTransport();
        }
        return SshTransport.connect(target(host, new HashSet<>()));
    }

    /** The SSH target of a host, with its jump chain resolved; {@code seen} guards against jump cycles. */
    SshTarget target(HostSpec host, Set<String> seen) {
        if (!seen.add(host.name())) {
            throw new IllegalArgumentException("jump hosts form a cycle at " + host.name());
        }
        SshTarget.Builder builder = SshTarget.builder(host.name(), host.address())
                .port(host.port())
                .user(host.user())
                .hostKeyPolicy(acceptNewHostKeys || host.acceptNewHostKey() ? HostKeyPolicy.ACCEPT_NEW
                        : HostKeyPolicy.STRICT);
        if (!host.identityFiles().isEmpty()) {
            builder.identityFiles(host.identityFiles());
        }
        host.knownHosts().ifPresent(builder::knownHosts);
        if (host.jump().isPresent()) {
            String jumpName = host.jump().get();
            HostSpec jump = inventory.host(jumpName).orElseThrow(
                    () -> new IllegalArgumentException("host " + host.name() + " jumps through unknown host " + jumpName));
            builder.jump(target(jump, seen));
        }
        return builder.build();
    }
}
