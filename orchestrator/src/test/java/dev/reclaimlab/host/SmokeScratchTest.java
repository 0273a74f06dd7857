package dev.reclaimlab.host;

import dev.reclaimlab.testing.Sshd;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SmokeScratchTest {
    @Test
    void smoke() throws Exception {
        try (Sshd sshd = Sshd.start(); SshTransport t = SshTransport.connect(sshd.target("h"), sshd.environment());
             LocalTransport l = new LocalTransport()) {
            for (Transport x : new Transport[] {l, t}) {
                long s = System.nanoTime();
                ExecResult r = x.exec("echo hi; sleep 7 & echo bye", Duration.ofSeconds(20));
                System.out.printf("%s %.1f ms: %s%n", x.hostName(), (System.nanoTime() - s) / 1e6, r);
                s = System.nanoTime();
                r = x.exec("echo next", Duration.ofSeconds(20));
                System.out.printf("%s %.1f ms: %s%n", x.hostName(), (System.nanoTime() - s) / 1e6, r);
            }
        }
    }
}
