package dev.reclaimlab.host;

import dev.reclaimlab.testing.Sshd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tunnelling through a jump host ({@code ssh -J}). {@code sshd} is the jump host (and for the key tests also the
 * target); a second server is the target where it matters that commands land on the target, not on the jump host.
 */
class SshJumpHostIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static Sshd sshd;
    private static Sshd behind;

    @BeforeAll
    static void start() throws IOException {
        sshd = Sshd.start();
        behind = Sshd.start();
    }

    @AfterAll
    static void stop() {
        sshd.close();
        behind.close();
    }

    @Test
    void runsCommandsOnTheTargetThroughTheJumpHost() throws IOException {
        long jumpLogins = sshd.acceptedLogins();
        long targetLogins = behind.acceptedLogins();
        SshTarget target = behind.targetBuilder("behind-bastion").jump(sshd.target("bastion")).build();
        assertTrue(target.describe().contains(" via "), target.describe());
        try (SshTransport t = SshTransport.connect(target, sshd.environment())) {
            // SSH_CONNECTION ends with the port of the server the command runs under: the target's, not the jump's.
            String connection = t.exec("echo $SSH_CONNECTION", TIMEOUT).stdout().trim();
            assertTrue(connection.endsWith(" " + behind.port()), connection);
            assertEquals("again\n", t.exec("echo again", TIMEOUT).stdout());
        }
        assertEquals(jumpLogins + 1, sshd.acceptedLogins(), "one login on the jump host");
        assertEquals(targetLogins + 1, behind.acceptedLogins(), "one login on the target, reused for both commands");
    }

    @Test
    void eachHopChecksItsOwnHostKey() {
        SshTarget unknownJump = sshd.targetBuilder("behind-bastion")
                .jump(sshd.targetBuilder("bastion").knownHosts(sshd.emptyKnownHosts()).build()).build();
        HostKeyException jumpRefused = assertThrows(HostKeyException.class,
                () -> SshTransport.connect(unknownJump, sshd.environment()));
        assertFalse(jumpRefused.getMessage().contains(" via "), "refused at the jump host: " + jumpRefused);

        SshTarget unknownTarget = sshd.targetBuilder("behind-bastion").knownHosts(sshd.emptyKnownHosts())
                .jump(sshd.target("bastion")).build();
        HostKeyException targetRefused = assertThrows(HostKeyException.class,
                () -> SshTransport.connect(unknownTarget, sshd.environment()));
        assertTrue(targetRefused.getMessage().contains(" via "), "refused at the target: " + targetRefused);
    }

    @Test
    void aTargetTheJumpHostCannotReachIsReportedAsSuch() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        SshTarget target = sshd.targetBuilder("unreachable").port(closedPort).jump(sshd.target("bastion")).build();
        IOException e = assertThrows(IOException.class, () -> SshTransport.connect(target, sshd.environment()));
        assertTrue(e.getMessage().contains("jump host bastion could not connect to 127.0.0.1:" + closedPort),
                e.getMessage());
    }
}
