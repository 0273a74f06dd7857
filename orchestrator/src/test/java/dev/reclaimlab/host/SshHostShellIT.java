package dev.reclaimlab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.reclaimlab.testing.SshdPerClass;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The step shell over a real OpenSSH server, and what only a connection can do to it: drop. */
class SshHostShellIT extends HostShellContractTest {

    @RegisterExtension
    static final SshdPerClass ssh = new SshdPerClass("shell-host");

    @Override
    Transport transport() {
        return ssh.transport();
    }

    @Test
    void aDroppedConnectionFailsTheCommandsInFlightAndANewShellWorks() throws Exception {
        HostShell shell = transport().openShell("true").orElseThrow();
        HostShell.Pending inFlight = shell.submit("sleep 30", TIMEOUT, OutputListener.NONE, HostShell.Mode.ALWAYS,
                false);
        Thread.sleep(500);
        ssh.sshd().dropConnections();

        IOException e = assertThrows(IOException.class, inFlight::await);
        assertFalse(shell.usable(), e.getMessage());
        shell.close();
        HostShell again = transport().openShell("true").orElseThrow(); // the transport reconnects
        assertEquals("back\n", again.run("echo back", Duration.ofSeconds(20), OutputListener.NONE).stdout());
        again.close();
    }
}
