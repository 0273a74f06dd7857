package dev.reclaimlab.host;

import dev.reclaimlab.testing.Sshd;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The transport contract over a real OpenSSH server, plus what only SSH has: one reused connection. */
class SshTransportIT extends TransportContractTest {

    private static Sshd sshd;
    private static SshTransport ssh;

    @BeforeAll
    static void connect() throws IOException {
        sshd = Sshd.start();
        ssh = SshTransport.connect(sshd.target("test-host"), sshd.environment());
    }

    @AfterAll
    static void disconnect() {
        if (ssh != null) {
            ssh.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    @Override
    Transport transport() {
        return ssh;
    }

    @Test
    void oneConnectionServesManyCommandsIncludingConcurrentOnes() throws Exception {
        try (SshTransport own = SshTransport.connect(sshd.target("reuse"), sshd.environment())) {
            long loginsBefore = sshd.acceptedLogins();
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
            assertEquals(loginsBefore, sshd.acceptedLogins(), "commands opened new SSH connections");
        }
    }

    @Test
    void namesTheHostAsThePlanDoes() {
        assertEquals("test-host", ssh.hostName());
        assertTrue(ssh.target().describe().matches("test-host \\(\\w+@127\\.0\\.0\\.1:\\d+\\)"),
                ssh.target().describe());
    }

    @Test
    void reconnectsAfterTheConnectionDropped() throws Exception {
        try (SshTransport own = SshTransport.connect(sshd.target("reconnect"), sshd.environment())) {
            assertEquals("before\n", own.exec("echo before", TIMEOUT).stdout());
            long loginsBefore = sshd.acceptedLogins();
            sshd.dropConnections(); // as a host reboot would
            Thread.sleep(300); // let the client notice the connection is gone
            assertEquals("back\n", own.exec("echo back", TIMEOUT).stdout());
            assertEquals(loginsBefore + 1, sshd.acceptedLogins());
        }
    }

    @Test
    void aConnectionLostMidCommandIsAnIOExceptionNotAResult() throws Exception {
        try (SshTransport own = SshTransport.connect(sshd.target("lost"), sshd.environment())) {
            var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return own.exec("echo started; sleep 30", TIMEOUT);
                } catch (IOException e) {
                    return e;
                }
            });
            Thread.sleep(1500);
            sshd.dropConnections();
            Object outcome = running.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(outcome instanceof IOException, "got " + outcome);
        }
    }

    @Test
    void aClosedTransportRefusesCommands() throws IOException {
        SshTransport own = SshTransport.connect(sshd.target("closed"), sshd.environment());
        own.close();
        IOException e = assertThrows(IOException.class, () -> own.exec("true", TIMEOUT));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
