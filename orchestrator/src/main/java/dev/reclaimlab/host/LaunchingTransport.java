package dev.reclaimlab.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * A transport whose commands run through a {@link CommandRunner}: output pumping, stdin, timeouts and kills work the
 * same on every host, and a transport only says how a command is started ({@link #launch}).
 */
abstract sealed class LaunchingTransport implements Transport permits LocalTransport, SshTransport {
    private final String hostName;
    private final CommandRunner runner;

    LaunchingTransport(String hostName) {
        this.hostName = hostName;
        this.runner = new CommandRunner(hostName, this::launch);
    }

    /** Starts {@code command} with {@code sh -c} on the host. */
    abstract RunningCommand launch(String command) throws IOException;

    @Override
    public final String hostName() {
        return hostName;
    }

    @Override
    public final ExecResult exec(String command, Duration timeout, OutputListener listener) throws IOException {
        return runner.exec(command, timeout, listener);
    }

    @Override
    public final java.util.Optional<HostShell> openShell(String preamble) throws IOException {
        return java.util.Optional.of(HostShell.start(this, preamble));
    }

    @Override
    public final ExecResult execToStream(String command, OutputStream stdout, Duration timeout) throws IOException {
        return runner.execToStream(command, stdout, timeout);
    }

    @Override
    public final ExecResult execFromStream(String command, InputStream stdin, Duration timeout) throws IOException {
        return runner.execFromStream(command, stdin, timeout);
    }
}
