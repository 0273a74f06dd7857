package dev.reclaimlab.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach one host over SSH.
 *
 * @param name          the host's name in the plan, used in messages and results
 * @param address       DNS name or IP address to connect to (from the jump host, if there is one)
 * @param port          SSH port
 * @param user          login user
 * @param identityFiles OpenSSH private keys to offer, in order; when empty, ~/.ssh/id_ed25519, id_rsa and id_ecdsa are
 *                      offered if they exist (as OpenSSH does)
 * @param useAgent      also offer the keys of the ssh-agent at {@code SSH_AUTH_SOCK}, if one is running
 * @param knownHosts    OpenSSH known_hosts file the host key is checked against
 * @param hostKeyPolicy what to do with a key that file does not list
 * @param jump          host to tunnel through ({@code ssh -J}); it has its own user, keys and host-key check
 * @param connectTimeout how long to wait for the TCP connection (per hop)
 */
public record SshTarget(String name, String address, int port, String user, List<Path> identityFiles,
                        boolean useAgent, Path knownHosts, HostKeyPolicy hostKeyPolicy, Optional<SshTarget> jump,
                        Duration connectTimeout) {

    public static final int DEFAULT_PORT = 22;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        Objects.requireNonNull(jump, "jump");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (address.isBlank()) {
            throw new IllegalArgumentException("host " + name + ": address is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("host " + name + ": port " + port + " is not between 1 and 65535");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("host " + name + ": connect timeout must be positive");
        }
        identityFiles = List.copyOf(identityFiles);
    }

    /** A target with the defaults: port 22, the current user, default keys plus agent, ~/.ssh/known_hosts, strict. */
    public static Builder builder(String name, String address) {
        return new Builder(name, address);
    }

    /** {@code user@address:port}, the way OpenSSH users write a destination. */
    public String endpoint() {
        return user + "@" + (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /**
     * How messages name this host: plan name, endpoint and route, e.g.
     * {@code web1 (root@10.0.0.5:22) via bastion (admin@bastion.example:22)}.
     */
    public String describe() {
        String self = name + " (" + endpoint() + ")";
        return jump.map(j -> self + " via " + j.describe()).orElse(self);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, address);
        b.port = port;
        b.user = user;
        b.identityFiles = new ArrayList<>(identityFiles);
        b.useAgent = useAgent;
        b.knownHosts = knownHosts;
        b.hostKeyPolicy = hostKeyPolicy;
        b.jump = jump.orElse(null);
        b.connectTimeout = connectTimeout;
        return b;
    }

    /** Builds an {@link SshTarget}; unset fields keep the defaults listed at {@link SshTarget#builder}. */
    public static final class Builder {
        private final String name;
        private final String address;
        private int port = DEFAULT_PORT;
        private String user = System.getProperty("user.name");
        private List<Path> identityFiles = new ArrayList<>();
        private boolean useAgent = true;
        private Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        private HostKeyPolicy hostKeyPolicy = HostKeyPolicy.STRICT;
        private SshTarget jump;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Builder(String name, String address) {
            this.name = name;
            this.address = address;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder identityFile(Path file) {
            this.identityFiles.add(file);
            return this;
        }

        public Builder identityFiles(List<Path> files) {
            this.identityFiles = new ArrayList<>(files);
            return this;
        }

        public Builder useAgent(boolean useAgent) {
            this.useAgent = useAgent;
            return this;
        }

        public Builder knownHosts(Path knownHosts) {
            this.knownHosts = knownHosts;
            return this;
        }

        public Builder hostKeyPolicy(HostKeyPolicy policy) {
            this.hostKeyPolicy = policy;
            return this;
        }

        public Builder jump(SshTarget jump) {
            this.jump = jump;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public SshTarget build() {
            return new SshTarget(name, address, port, user, identityFiles, useAgent, knownHosts, hostKeyPolicy,
                    Optional.ofNullable(jump), connectTimeout);
        }
    }
}
