package dev.reclaimlab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The known_hosts parser on its own: name forms and pattern rules as OpenSSH applies them. */
class KnownHostsTest {

    @TempDir
    Path dir;

    @Test
    void namesNonStandardPortsInBrackets() {
        assertEquals("web1", KnownHosts.hostKey("web1", 22));
        assertEquals("[web1]:2222", KnownHosts.hostKey("WEB1", 2222));
    }

    @Test
    void patternListsFollowOpenSshRules() {
        assertTrue(KnownHosts.matches("a,b,web1", "web1"));
        assertTrue(KnownHosts.matches("web*", "web1"));
        assertTrue(KnownHosts.matches("web?", "web1"));
        assertFalse(KnownHosts.matches("web?", "web10"));
        assertFalse(KnownHosts.matches("web*,!web1", "web1"), "a matching negation wins over any match");
        assertTrue(KnownHosts.matches("web*,!web1", "web2"));
        assertFalse(KnownHosts.matches("!web1", "web2"), "a negation alone accepts nothing");
        assertTrue(KnownHosts.matches("WEB1", "web1"), "names compare case-insensitively");
        assertFalse(KnownHosts.matches("[web1]:2222", "web1"));
    }

    @Test
    void skipsCommentsCertificateAuthoritiesAndDamagedLines() throws IOException {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, String.join("\n",
                "# comment",
                "",
                "@cert-authority *.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBc=",
                "web1 ssh-ed25519 !!!not-base64!!!",
                "web1",
                "web1,web2 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBc= comment here",
                "@revoked web1 ssh-rsa AAAAB3NzaC1yc2E="));
        List<KnownHosts.Entry> entries = new KnownHosts(file).entriesFor("web1", 22);
        assertEquals(2, entries.size());
        assertEquals(6, entries.get(0).line());
        assertFalse(entries.get(0).revoked());
        assertEquals("ssh-ed25519", entries.get(0).keyType());
        assertTrue(entries.get(1).revoked());
        assertEquals(List.of(), new KnownHosts(dir.resolve("missing")).entriesFor("web1", 22));
    }

    @Test
    void addingKeepsExistingLinesIntact() throws IOException {
        Path file = dir.resolve("known_hosts");
        Files.writeString(file, "old ssh-ed25519 AAAA"); // no trailing newline
        new KnownHosts(file).add("new", 2222, "ssh-ed25519", new byte[] {1, 2, 3});
        assertEquals(List.of("old ssh-ed25519 AAAA", "[new]:2222 ssh-ed25519 AQID"), Files.readAllLines(file));
    }

    @Test
    void fingerprintsLikeOpenSsh() {
        // ssh-keygen -lf prints SHA256: and unpadded base64 of the blob's digest; the digest of nothing is known.
        assertEquals("SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU", KnownHosts.fingerprint(new byte[0]));
    }
}
