package dev.reclaimlab.host;

import dev.reclaimlab.testing.Sshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host-key checking against a real sshd. This class has its own server because one test replaces its host key; so
 * every test writes its own known_hosts from the server's current key instead of using {@link Sshd#knownHosts()}.
 */
class SshHostKeyIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static Sshd sshd;

    @BeforeAll
    static void start() throws IOException {
        sshd = Sshd.start();
    }

    @AfterAll
    static void stop() {
        sshd.close();
    }

    @Test
    void anUnknownKeyIsRefusedWithWhatToDoAboutIt() throws IOException {
        Path knownHosts = sshd.emptyKnownHosts();
        HostKeyException e = assertThrows(HostKeyException.class, () -> connect(knownHosts, HostKeyPolicy.STRICT));
        assertEquals(HostKeyException.Reason.UNKNOWN, e.reason());
        assertEquals(sshd.hostKeyFingerprint(), e.fingerprint());
        String m = e.getMessage();
        for (String part : List.of("Unknown host key", "127.0.0.1:" + sshd.port(), "ssh-ed25519",
                sshd.hostKeyFingerprint(), knownHosts.toString(), "accept-new", sshd.knownHostsLine())) {
            assertTrue(m.contains(part), () -> "message lacks '" + part + "': " + m);
        }
        assertFalse(m.contains("\n"), "one paragraph, no stack trace needed: " + m);
        assertFalse(Files.exists(knownHosts), "a refused key must not be recorded");
    }

    @Test
    void acceptNewRecordsAnUnknownKeyAndChecksAgainstItLater() throws IOException {
        Path knownHosts = sshd.directory().resolve("fresh-home/.ssh/known_hosts"); // .ssh does not exist yet
        try (SshTransport t = connect(knownHosts, HostKeyPolicy.ACCEPT_NEW)) {
            assertEquals("ok\n", t.exec("echo ok", TIMEOUT).stdout());
        }
        assertEquals(List.of(sshd.knownHostsLine()), Files.readAllLines(knownHosts));
        // Now known: strict checking accepts it, and accept-new does not add it twice.
        try (SshTransport t = connect(knownHosts, HostKeyPolicy.STRICT)) {
            assertTrue(t.exec("true", TIMEOUT).ok());
        }
        try (SshTransport t = connect(knownHosts, HostKeyPolicy.ACCEPT_NEW)) {
            assertTrue(t.exec("true", TIMEOUT).ok());
        }
        assertEquals(1, Files.readAllLines(knownHosts).size());
    }

    @Test
    void aChangedKeyIsAlwaysRefusedNamingTheLineToRemove() throws IOException {
        Path knownHosts = sshd.directory().resolve("known_hosts.changed");
        Files.writeString(knownHosts, "# first line is a comment\n" + sshd.knownHostsLine() + "\n");
        String oldFingerprint = sshd.hostKeyFingerprint();
        String before = Files.readString(knownHosts);

        sshd.replaceHostKey();
        String newFingerprint = sshd.hostKeyFingerprint();
        assertNotEquals(oldFingerprint, newFingerprint);

        for (HostKeyPolicy policy : HostKeyPolicy.values()) {
            HostKeyException e = assertThrows(HostKeyException.class, () -> connect(knownHosts, policy));
            assertEquals(HostKeyException.Reason.CHANGED, e.reason(), policy.name());
            String m = e.getMessage();
            for (String part : List.of("HOST KEY CHANGED", "127.0.0.1:" + sshd.port(), oldFingerprint,
                    newFingerprint, knownHosts.toString(), "line 2", "ssh-keygen -R")) {
                assertTrue(m.contains(part), () -> policy + ": message lacks '" + part + "': " + m);
            }
        }
        assertEquals(before, Files.readString(knownHosts), "a changed key must never be written");
    }

    @Test
    void hashedAndWildcardEntriesAreUnderstood() throws Exception {
        Path hashed = sshd.directory().resolve("known_hosts.hashed");
        Files.writeString(hashed, sshd.knownHostsLine() + "\n");
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-H", "-f", hashed.toString()).redirectErrorStream(true)
                .start();
        assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
        assertTrue(Files.readString(hashed).startsWith("|1|"), "ssh-keygen -H hashed the name");
        try (SshTransport t = connect(hashed, HostKeyPolicy.STRICT)) {
            assertTrue(t.exec("true", TIMEOUT).ok());
        }

        Path wildcard = sshd.directory().resolve("known_hosts.wildcard");
        Files.writeString(wildcard, sshd.knownHostsLine().replace("[127.0.0.1]", "other,[127.0.0.?]") + "\n");
        try (SshTransport t = connect(wildcard, HostKeyPolicy.STRICT)) {
            assertTrue(t.exec("true", TIMEOUT).ok());
        }

        Path negated = sshd.directory().resolve("known_hosts.negated");
        Files.writeString(negated, sshd.knownHostsLine().replace("[127.0.0.1]", "[127.0.0.?],![127.0.0.1]") + "\n");
        assertThrows(HostKeyException.class, () -> connect(negated, HostKeyPolicy.STRICT));
    }

    @Test
    void aRevokedKeyIsRefused() throws IOException {
        Path knownHosts = sshd.directory().resolve("known_hosts.revoked");
        Files.writeString(knownHosts, "@revoked " + sshd.knownHostsLine() + "\n" + sshd.knownHostsLine() + "\n");
        HostKeyException e = assertThrows(HostKeyException.class,
                () -> connect(knownHosts, HostKeyPolicy.ACCEPT_NEW));
        assertEquals(HostKeyException.Reason.REVOKED, e.reason());
    }

    @Test
    void aHostKnownOnlyWithAnotherKeyTypeIsTreatedAsChanged() throws IOException {
        Path knownHosts = sshd.directory().resolve("known_hosts.othertype");
        String otherKey = Base64.getEncoder().encodeToString(new byte[] {0, 0, 0, 7, 's', 's', 'h', '-', 'r', 's',
                'a', 0, 0, 0, 1, 1, 0, 0, 0, 1, 1});
        Files.writeString(knownHosts, "[127.0.0.1]:" + sshd.port() + " ssh-rsa " + otherKey + "\n");
        HostKeyException e = assertThrows(HostKeyException.class,
                () -> connect(knownHosts, HostKeyPolicy.ACCEPT_NEW));
        assertEquals(HostKeyException.Reason.CHANGED, e.reason());
        assertTrue(e.getMessage().contains("ssh-rsa"), e.getMessage());
    }

    private static SshTransport connect(Path knownHosts, HostKeyPolicy policy) throws IOException {
        return SshTransport.connect(sshd.targetBuilder("keyed").knownHosts(knownHosts).hostKeyPolicy(policy).build(),
                sshd.environment());
    }
}
