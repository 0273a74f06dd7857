package dev.reclaimlab.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;

/**
 * Runs POSIX sh commands on one host.
 *
 * <p>Commands are shell source text given to {@code sh -c}, never argv lists, because that is the only thing every
 * remote offers: the far side may be busybox {@code sh} under dropbear with no bash, SFTP or scp. Build commands with
 * {@link dev.reclaimlab.shell.Sh} so every path and value stays one inert word.
 *
 * <p>A command that runs past its timeout is killed together with everything it started, and the result says
 * {@link ExecResult#timedOut()}; that is an outcome of the command, not an exception. {@link IOException} means the
 * transport failed (connection lost, host unreachable, authentication refused), so nothing is known about the command.
 *
 * <p>Implementations are safe for concurrent use: a background drain and a foreground step may run commands on the
 * same transport at once.
 */
public interface Transport extends AutoCloseable {

    /** The host's name as the experiment plan calls it (not necessarily its network address). */
    String hostName();

    /**
     * Runs {@code command} and captures its stdout and stderr as text (see {@link ExecResult} for the size cap),
     * passing each complete line to {@code listener} as it arrives. The command's stdin is empty.
     */
    ExecResult exec(String command, Duration timeout, OutputListener listener) throws IOException;

    /** {@link #exec(String, Duration, OutputListener)} without a listener. */
    default ExecResult exec(String command, Duration timeout) throws IOException {
        return exec(command, timeout, OutputListener.NONE);
    }

    /**
     * Runs {@code command} and writes its stdout, as raw bytes, into {@code stdout} (for downloads); stderr is captured
     * as text, stdout in the result is empty. {@code stdout} is not closed. If writing to {@code stdout} fails the
     * command is killed and that exception is thrown.
     */
    ExecResult execToStream(String command, OutputStream stdout, Duration timeout) throws IOException;

    /**
     * Runs {@code command} with {@code stdin}'s bytes as its standard input (for uploads), closing the command's stdin
     * at EOF. {@code stdin} is not closed. A command that exits without reading all of it is not an error here; its
     * exit code says what happened.
     */
    ExecResult execFromStream(String command, InputStream stdin, Duration timeout) throws IOException;

    /**
     * Starts a long-lived shell on the host for many short commands at a fraction of {@link #exec}'s cost (see
     * {@link HostShell}); it first runs {@code preamble}. Empty where this transport has none, and then
     * {@link #exec} is the way.
     */
    default java.util.Optional<HostShell> openShell(String preamble) throws IOException {
        return java.util.Optional.empty();
    }

    /** Closes the connection; commands still running on it fail with an IOException. */
    @Override
    void close() throws IOException;
}
