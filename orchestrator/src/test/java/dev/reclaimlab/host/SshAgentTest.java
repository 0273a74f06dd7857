package dev.reclaimlab.host;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The agent client against sockets that misbehave (SshAuthIT logs in through a real ssh-agent). */
class SshAgentTest {

    @Test
    void anAgentThatNeverAnswersFailsTheCallInsteadOfHangingIt(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("agent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            SshAgent agent = new SshAgent(socket, Duration.ofMillis(300));
            // The connection is accepted by the kernel's backlog; nobody ever reads or writes on it.
            IOException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(IOException.class, agent::identities));
            assertTrue(e.getMessage().contains("did not answer within 300ms"), e.getMessage());
        }
    }

    @Test
    void anAgentThatHangsUpMidReplyIsNamed(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("agent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread peer = new Thread(() -> {
                try (SocketChannel client = server.accept()) {
                    java.nio.ByteBuffer request = java.nio.ByteBuffer.allocate(5); // length 1, REQUEST_IDENTITIES
                    while (request.hasRemaining() && client.read(request) >= 0) {
                        // all of it, however the client wrote it: a hang-up before then breaks its write instead
                    }
                    client.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 9, 12})); // 9 bytes promised, 1 sent
                } catch (IOException ignored) {
                    // the test fails on the client side if this goes wrong
                }
            });
            peer.start();
            IOException e = assertThrows(IOException.class, new SshAgent(socket, Duration.ofSeconds(10))::identities);
            peer.join();
            assertTrue(e.getMessage().contains("closed the connection mid-reply"), e.getMessage());
        }
    }
}
