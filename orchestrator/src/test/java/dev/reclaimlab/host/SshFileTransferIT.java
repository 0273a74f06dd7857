package dev.reclaimlab.host;

import dev.reclaimlab.testing.Sshd;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** File transfer over a real OpenSSH server without any SFTP subsystem: exec channels only. */
class SshFileTransferIT extends FileTransferContractTest {

    private static Sshd.Connection ssh;

    @BeforeAll
    static void connect() throws IOException {
        ssh = Sshd.connect("files");
    }

    @AfterAll
    static void disconnect() {
        if (ssh != null) {
            ssh.close();
        }
    }

    @Override
    Transport transport() {
        return ssh.transport();
    }
}
