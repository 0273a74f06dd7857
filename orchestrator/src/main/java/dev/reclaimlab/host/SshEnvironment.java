package dev.reclaimlab.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an SSH connection takes from the user's environment rather than from the plan: the home directory (for default
 * keys) and the ssh-agent socket. A value of its own so tests can point both somewhere controlled instead of at the
 * real {@code ~/.ssh} and {@code SSH_AUTH_SOCK} of whoever runs them.
 *
 * @param home        the user's home directory; default identities are looked up in its {@code .ssh}
 * @param agentSocket the ssh-agent's unix socket, if an agent is running
 */
public record SshEnvironment(Path home, Optional<Path> agentSocket) {

    public SshEnvironment {
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(agentSocket, "agentSocket");
    }

    /** The orchestrator's own user: {@code user.home} and {@code SSH_AUTH_SOCK}. */
    public static SshEnvironment fromSystem() {
        String sock = System.getenv("SSH_AUTH_SOCK");
        return new SshEnvironment(Path.of(System.getProperty("user.home")),
                sock == null || sock.isBlank() ? Optional.empty() : Optional.of(Path.of(sock)));
    }

    /** Keys OpenSSH offers when none is configured, in its order; the caller skips the ones that do not exist. */
    public List<Path> defaultIdentityFiles() {
        Path ssh = home.resolve(".ssh");
        return List.of(ssh.resolve("id_ed25519"), ssh.resolve("id_rsa"), ssh.resolve("id_ecdsa"));
    }
}
