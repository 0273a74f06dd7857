package dev.reclaimlab.host;

import dev.reclaimlab.testing.SshdPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** File transfer over a real OpenSSH server without any SFTP subsystem: exec channels only. */
class SshFileTransferIT extends FileTransferContractTest {

    @RegisterExtension
    static final SshdPerClass ssh = new SshdPerClass("files");

    @Override
    Transport transport() {
        return ssh.transport();
    }
}
