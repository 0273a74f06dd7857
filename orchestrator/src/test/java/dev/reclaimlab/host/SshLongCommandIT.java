package dev.reclaimlab.host;

import dev.reclaimlab.testing.Sshd;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Commands longer than an SSH server may take in one exec request (dropbear drops the connection over ~9000 bytes)
 * still run: they are staged in a file on the host first, which is gone afterwards.
 */
class SshLongCommandIT {
    static Sshd sshd;

    @BeforeAll
    static void start() throws IOException {
        sshd = Sshd.start();
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    private static String longCommand(String tail) {
        StringBuilder command = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            command.append(": filler-").append(i).append('\n');
        }
        assertTrue(command.length() > 4 * SshCommand.MAX_INLINE_COMMAND);
        return command.append(tail).toString();
    }

    @Test
    void aLongCommandRunsWithItsOutputExitCodeAndStdin() throws Exception {
        try (SshTransport host = SshTransport.connect(sshd.target("long"), sshd.environment())) {
            ExecResult r = host.exec(longCommand("echo \"it's $((6 * 7))\"; echo oops >&2; exit 3"), Duration.ofSeconds(30));
            assertEquals(3, r.exitCode(), r.stderr());
            assertEquals("it's 42\n", r.stdout());
            assertEquals("oops\n", r.stderr());

            ExecResult fed = host.execFromStream(longCommand("tr a-z A-Z"),
                    new ByteArrayInputStream("piped\n".getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(30));
            assertEquals("PIPED\n", fed.stdout(), fed.stderr());

            ExecResult left = host.exec("ls /tmp | grep -c '^lab-exec-.*\\.sh$' || true", Duration.ofSeconds(30));
            assertEquals("0", left.stdout().strip(), "staged command files are removed");
        }
    }

    @Test
    void aLongCommandIsKilledOnTimeoutLikeAnyOther() throws Exception {
        try (SshTransport host = SshTransport.connect(sshd.target("long-timeout"), sshd.environment())) {
            // A duration no other test uses, so the check below finds this command's sleep and nobody else's
            // (other tests leave a plain "sleep 30" running on purpose, e.g. under a dropped connection).
            String seconds = "30." + (100 + new java.util.Random().nextInt(900));
            ExecResult r = host.exec(longCommand("sleep " + seconds), Duration.ofSeconds(2));
            assertTrue(r.timedOut());
            // The kill runs on the host over a second channel; give a loaded host a moment to finish it.
            String alive = "";
            for (int i = 0; i < 50; i++) {
                alive = host.exec("pgrep -f 'sleep " + seconds.replace(".", "[.]") + "' || true",
                        Duration.ofSeconds(30)).stdout().strip();
                if (alive.isEmpty()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertEquals("", alive, "the timed-out command's process tree is gone");
        }
    }
}
