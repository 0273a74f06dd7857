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
        if (host.kind() instanceof HostKind.Local) {
            return new LocalTransport(host.name());
        }
        return SshTransport.connect(target(host, new HashSet<>()));
    }

    /** The SSH target of a host, with its jump chain resolved; {@code seen} guards against jump cycles. */
    SshTarget target(HostSpec host, Set<String> seen) {
        if (!seen.add(host.name())) {
            throw new IllegalArgumentException("jump hosts form a cycle at " + host.name());
        }
        SshAccess access = host.kind().ssh().orElseThrow(
                () -> new IllegalArgumentException("host " + host.name() + " is not reached over SSH"));
        SshTarget.Builder builder = SshTarget.builder(host.name(), access.address())
                .port(access.port())
                .user(access.user())
                .hostKeyPolicy(acceptNewHostKeys || access.acceptNewHostKey() ? HostKeyPolicy.ACCEPT_NEW
                        : HostKeyPolicy.STRICT);
        if (!access.identityFiles().isEmpty()) {
            builder.identityFiles(access.identityFiles());
        }
        access.knownHosts().ifPresent(builder::knownHosts);
        if (access.jump().isPresent()) {
            String jumpName = access.jump().get();
            HostSpec jump = inventory.host(jumpName).orElseThrow(
                    () -> new IllegalArgumentException("host " + host.name() + " jumps through unknown host " + jumpName));
            builder.jump(target(jump, seen));
        }
        return builder.build();
    }
}
