package dev.reclaimlab.testing;

import dev.reclaimlab.host.SshTransport;
import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real sshd and one transport connected to it as host {@code name}, for a whole test class: started before its
 * first test, closed after its last. Register it as a static field:
 * <pre>{@code @RegisterExtension static final SshdPerClass ssh = new SshdPerClass("test-host");}</pre>
 */
public final class SshdPerClass implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private Sshd.Connection connection;

    public SshdPerClass(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        connection = Sshd.connect(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    public SshTransport transport() {
        return connection.transport();
    }

    public Sshd sshd() {
        return connection.sshd();
    }
}
