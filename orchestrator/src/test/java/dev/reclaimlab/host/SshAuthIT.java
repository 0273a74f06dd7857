package dev.reclaimlab.host;

import dev.reclaimlab.testing.Sshd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logging in: keys from files, defaults and ssh-agent, and the messages when it cannot be done. */
class SshAuthIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static Sshd sshd;
    private static Path rsaKey;

    @BeforeAll
    static void start() throws IOException {
        sshd = Sshd.start();
        rsaKey = sshd.directory().resolve("client_rsa");
        keygen("-t", "rsa", "-b", "2048", "-N", "", "-f", rsaKey.toString());
        sshd.authorize(Path.of(rsaKey + ".pub"));
    }

    @AfterAll
    static void stop() {
        sshd.close();
    }

    @Test
    void logsInWithAnEd25519IdentityFile() throws IOException {
        assertLogsIn(sshd.target("ed25519"), sshd.environment());
    }

    @Test
    void logsInWithAnRsaIdentityFile() throws IOException {
        // OpenSSH 8.8+ refuses SHA-1 "ssh-rsa" signatures, so this also proves rsa-sha2-* is used.
        assertLogsIn(sshd.targetBuilder("rsa").identityFiles(List.of(rsaKey)).build(), sshd.environment());
    }

    @Test
    void offersTheDefaultKeysWhenNoneIsConfigured() throws IOException {
        Path home = sshd.directory().resolve("home-with-default-key");
        Files.createDirectories(home.resolve(".ssh"));
        Files.copy(sshd.clientKey(), home.resolve(".ssh/id_ed25519"));
        SshTarget target = sshd.targetBuilder("defaults").identityFiles(List.of()).build();
        assertLogsIn(target, new SshEnvironment(home, Optional.empty()));
    }

    @Test
    void aWrongKeyFailsNamingTheHostAndTheKeysTried() throws IOException {
        Path stranger = sshd.directory().resolve("stranger_ed25519");
        keygen("-t", "ed25519", "-N", "", "-f", stranger.toString());
        SshTarget target = sshd.targetBuilder("wrong-key").identityFiles(List.of(stranger)).build();
        IOException e = assertThrows(IOException.class, () -> SshTransport.connect(target, sshd.environment()));
        assertFalse(e instanceof HostKeyException);
        String m = e.getMessage();
        for (String part : List.of(sshd.user() + "@127.0.0.1:" + sshd.port(), "authentication failed",
                stranger.toString(), "publickey")) {
            assertTrue(m.contains(part), () -> "message lacks '" + part + "': " + m);
        }
        assertFalse(m.contains("\n"), m);
    }

    @Test
    void aPassphraseProtectedKeySaysSoAndSuggestsTheAgent() throws IOException {
        Path locked = sshd.directory().resolve("locked_ed25519");
        keygen("-t", "ed25519", "-N", "secret", "-f", locked.toString());
        SshTarget target = sshd.targetBuilder("locked").identityFiles(List.of(locked)).build();
        IOException e = assertThrows(IOException.class, () -> SshTransport.connect(target, sshd.environment()));
        assertTrue(e.getMessage().contains(locked + " is protected by a passphrase"), e.getMessage());
        assertTrue(e.getMessage().contains("ssh-add"), e.getMessage());
    }

    @Test
    void aFileThatIsNoKeyIsReportedAsSuch() throws IOException {
        Path junk = sshd.directory().resolve("junk_key");
        Files.writeString(junk, "this is not a key\n");
        SshTarget target = sshd.targetBuilder("junk").identityFiles(List.of(junk)).build();
        IOException e = assertThrows(IOException.class, () -> SshTransport.connect(target, sshd.environment()));
        assertTrue(e.getMessage().contains(junk + " is not a usable private key"), e.getMessage());
    }

    @Test
    void withNoKeyAtAllItSaysThereIsNothingToOffer() {
        SshTarget target = sshd.targetBuilder("keyless").identityFiles(List.of()).useAgent(true).build();
        SshEnvironment nothing = new SshEnvironment(sshd.directory().resolve("empty-home"),
                Optional.of(sshd.directory().resolve("no-agent.sock")));
        IOException e = assertThrows(IOException.class, () -> SshTransport.connect(target, nothing));
        assertTrue(e.getMessage().contains("no key to log in with"), e.getMessage());
        assertTrue(e.getMessage().contains("no-agent.sock not reachable"), e.getMessage());
    }

    @Test
    void logsInWithKeysHeldBySshAgent() throws Exception {
        Path socket = sshd.directory().resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            waitFor(socket);
            SshTarget target = sshd.targetBuilder("agent").identityFiles(List.of()).useAgent(true).build();
            SshEnvironment environment = new SshEnvironment(sshd.directory().resolve("empty-home"),
                    Optional.of(socket));

            // RSA through the agent needs the rsa-sha2 sign flags; ed25519 is the common case.
            for (Path key : List.of(rsaKey, sshd.clientKey())) {
                run(Map.of("SSH_AUTH_SOCK", socket.toString()), "ssh-add", "-D");
                run(Map.of("SSH_AUTH_SOCK", socket.toString()), "ssh-add", key.toString());
                assertLogsIn(target, environment);
            }

            run(Map.of("SSH_AUTH_SOCK", socket.toString()), "ssh-add", "-D");
            IOException e = assertThrows(IOException.class, () -> SshTransport.connect(target, environment));
            assertTrue(e.getMessage().contains("holds no keys"), e.getMessage());
        } finally {
            agent.destroy();
            agent.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClosedPortIsConnectionRefused() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = s.getLocalPort();
        }
        SshTarget target = sshd.targetBuilder("refused").port(closedPort).build();
        IOException e = assertThrows(IOException.class, () -> SshTransport.connect(target, sshd.environment()));
        assertTrue(e.getMessage().startsWith("refused (" + sshd.user() + "@127.0.0.1:" + closedPort
                + "): connection refused"), e.getMessage());
    }

    @Test
    void anUnknownHostNameSaysItCannotBeResolved() {
        SshTarget target = SshTarget.builder("nowhere", "no-such-host.invalid").user("root")
                .knownHosts(sshd.knownHosts()).build();
        IOException e = assertThrows(IOException.class, () -> SshTransport.connect(target, sshd.environment()));
        assertEquals("nowhere (root@no-such-host.invalid:22): cannot resolve host name no-such-host.invalid",
                e.getMessage());
    }

    private static void assertLogsIn(SshTarget target, SshEnvironment environment) throws IOException {
        try (SshTransport t = SshTransport.connect(target, environment)) {
            ExecResult r = t.exec("id -un", TIMEOUT);
            assertEquals(sshd.user() + "\n", r.stdout(), r.stderr());
        }
    }

    private static void keygen(String... args) throws IOException {
        String[] command = new String[args.length + 2];
        command[0] = "ssh-keygen";
        command[1] = "-q";
        System.arraycopy(args, 0, command, 2, args.length);
        run(Map.of(), command);
    }

    private static void run(Map<String, String> env, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, p.waitFor(), () -> String.join(" ", command) + ": " + output);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static void waitFor(Path socket) throws InterruptedException {
        for (int i = 0; i < 100 && !Files.exists(socket); i++) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(socket), "ssh-agent did not create " + socket);
    }
}
