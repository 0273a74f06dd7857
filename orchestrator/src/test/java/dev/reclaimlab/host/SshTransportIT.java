package dev.reclaimlab.host;

import dev.reclaimlab.testing.SshdPerClass;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport contract over a real OpenSSH server, plus what only SSH has: one reused connection. */
class SshTransportIT extends TransportContractTest {

    @RegisterExtension
    static final SshdPerClass ssh = new SshdPerClass("test-host");

    @Override
    Transport transport() {
        return ssh.transport();
    }

    @Test
    void oneConnectionServesManyCommandsIncludingConcurrentOnes() throws Exception {
        try (SshTransport own = SshTransport.connect(ssh.sshd().target("reuse"), ssh.sshd().environment())) {
            long loginsBefore = ssh.sshd().acceptedLogins();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<ExecResult>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String command = "echo " + i;
                    results.add(pool.submit(() -> own.exec(command, TIMEOUT)));
                }
                for (int i = 0; i < 8; i++) {
                    assertEquals(i + "\n", results.get(i).get().stdout());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(loginsBefore, ssh.sshd().acceptedLogins(), "commands opened new SSH connections");
        }
    }

    @Test
    void namesTheHostAsThePlanDoes() {
        assertEquals("test-host", ssh.transport().hostName());
        assertTrue(ssh.transport().target().describe().matches("test-host \\(\\w+@127\\.0\\.0\\.1:\\d+\\)"),
                ssh.transport().target().describe());
    }

    @Test
    void reconnectsAfterTheConnectionDropped() throws Exception {
        try (SshTransport own = SshTransport.connect(ssh.sshd().target("reconnect"), ssh.sshd().environment())) {
            assertEquals("before\n", own.exec("echo before", TIMEOUT).stdout());
            long loginsBefore = ssh.sshd().acceptedLogins();
            ssh.sshd().dropConnections(); // as a host reboot would
            Thread.sleep(300); // let the client notice the connection is gone
            assertEquals("back\n", own.exec("echo back", TIMEOUT).stdout());
            assertEquals(loginsBefore + 1, ssh.sshd().acceptedLogins());
        }
    }

    @Test
    void aConnectionLostMidCommandIsAnIOExceptionNotAResult() throws Exception {
        try (SshTransport own = SshTransport.connect(ssh.sshd().target("lost"), ssh.sshd().environment())) {
            var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return own.exec("echo started; sleep 30", TIMEOUT);
                } catch (IOException e) {
                    return e;
                }
            });
            Thread.sleep(1500);
            ssh.sshd().dropConnections();
            Object outcome = running.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(outcome instanceof IOException, "got " + outcome);
        }
    }

    @Test
    void aClosedTransportRefusesCommands() throws IOException {
        SshTransport own = SshTransport.connect(ssh.sshd().target("closed"), ssh.sshd().environment());
        own.close();
        IOException e = assertThrows(IOException.class, () -> own.exec("true", TIMEOUT));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
