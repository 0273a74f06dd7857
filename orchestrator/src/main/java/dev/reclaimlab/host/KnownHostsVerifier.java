package dev.reclaimlab.host;

import dev.reclaimlab.shell.Sh;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

/**
 * Checks one hop's host key against a known_hosts file, applying the {@link HostKeyPolicy}.
 *
 * <p>sshj only learns "true or false" from a verifier and turns false into a bland "could not verify" error, so the
 * reason for a refusal is kept here and {@link SshTransport} throws it after the failed connect.
 */
final class KnownHostsVerifier implements HostKeyVerifier {

    private final SshTarget target;
    private final KnownHosts knownHosts;
    private volatile IOException refusal;

    KnownHostsVerifier(SshTarget target) {
        this.target = target;
        this.knownHosts = new KnownHosts(target.knownHosts());
    }

    /** Why the last key was refused, if it was. */
    Optional<IOException> refusal() {
        return Optional.ofNullable(refusal);
    }

    // The host name and port sshj passes are those of the socket or tunnel; we check the ones the plan names, which
    // are what the user's known_hosts is keyed by.
    @Override
    public boolean verify(String ignoredHost, int ignoredPort, PublicKey key) {
        String host = target.address();
        int port = target.port();
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        String type = KeyType.fromKey(key).toString();
        String fingerprint = KnownHosts.fingerprint(blob);
        try {
            List<KnownHosts.Entry> entries = knownHosts.entriesFor(host, port);
            for (KnownHosts.Entry e : entries) {
                if (e.revoked() && KnownHosts.sameKey(e, blob)) {
                    refusal = new HostKeyException(HostKeyException.Reason.REVOKED, fingerprint, String.format(
                            "Host key for %s is REVOKED: the server offered %s key %s, which %s line %d marks"
                                    + " @revoked. Refusing to connect.",
                            target.describe(), type, fingerprint, knownHosts.file(), e.line()));
                    return false;
                }
            }
            List<KnownHosts.Entry> valid = entries.stream().filter(e -> !e.revoked()).toList();
            if (valid.stream().anyMatch(e -> KnownHosts.sameKey(e, blob))) {
                return true;
            }
            if (!valid.isEmpty()) {
                refusal = changed(type, fingerprint, valid);
                return false;
            }
            if (target.hostKeyPolicy() == HostKeyPolicy.ACCEPT_NEW) {
                knownHosts.add(host, port, type, blob);
                return true;
            }
            refusal = new HostKeyException(HostKeyException.Reason.UNKNOWN, fingerprint, String.format(
                    "Unknown host key for %s: the server offered %s key %s and %s has no entry for %s. If that"
                            + " fingerprint is right (check on the host: ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub),"
                            + " trust it by connecting once with accept-new (lab --accept-new-host-keys, or"
                            + " accept_new_host_key: true for the host in the inventory),"
                            + " or add this line to %s: %s %s %s",
                    target.describe(), type, fingerprint, knownHosts.file(), KnownHosts.hostKey(host, port),
                    knownHosts.file(), KnownHosts.hostKey(host, port), type,
                    java.util.Base64.getEncoder().encodeToString(blob)));
            return false;
        } catch (IOException e) {
            refusal = new IOException("cannot check the host key of " + target.describe() + " against "
                    + knownHosts.file() + ": " + e.getMessage(), e);
            return false;
        }
    }

    private HostKeyException changed(String type, String fingerprint, List<KnownHosts.Entry> known) {
        String hostKey = KnownHosts.hostKey(target.address(), target.port());
        String expected = known.stream()
                .map(e -> e.keyType() + " key " + e.fingerprint() + " (line " + e.line() + ")")
                .collect(Collectors.joining(", "));
        String lines = known.stream().map(e -> String.valueOf(e.line())).collect(Collectors.joining(", "));
        return new HostKeyException(HostKeyException.Reason.CHANGED, fingerprint, String.format(
                "HOST KEY CHANGED for %s, refusing to connect. The server now offers %s key %s, but %s expects %s."
                        + " Someone may be intercepting the connection, or the host was reinstalled. If you know it"
                        + " was reinstalled, remove line%s %s from %s (or run: ssh-keygen -R %s -f %s) and connect"
                        + " again; accept-new never replaces a changed key.",
                target.describe(), type, fingerprint, knownHosts.file(), expected, known.size() > 1 ? "s" : "",
                lines, knownHosts.file(), Sh.quote(hostKey), Sh.quote(knownHosts.file().toString())));
    }

    /**
     * Key algorithms the known keys can verify, so key exchange asks the server for a key we can check rather than
     * one it happens to prefer. An RSA key signs with rsa-sha2-* as well as the legacy ssh-rsa.
     */
    @Override
    public List<String> findExistingAlgorithms(String ignoredHost, int ignoredPort) {
        List<String> algorithms = new ArrayList<>();
        try {
            for (KnownHosts.Entry e : knownHosts.entriesFor(target.address(), target.port())) {
                if (e.revoked()) {
                    continue;
                }
                if (e.keyType().equals("ssh-rsa")) {
                    algorithms.addAll(List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"));
                } else {
                    algorithms.add(e.keyType());
                }
            }
        } catch (IOException e) {
            // verify() reports the unreadable file; the key exchange itself can proceed with defaults
        }
        return algorithms;
    }
}
