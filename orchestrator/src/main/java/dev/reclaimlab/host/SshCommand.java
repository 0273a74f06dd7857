package dev.reclaimlab.host;

import dev.reclaimlab.shell.Sh;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * One command on an SSH exec channel.
 *
 * <p>sshd hands the channel's command string to the user's login shell, which may be bash, ash or anything else, so
 * the command is wrapped as {@code sh -c WRAPPER TOKEN COMMAND}: the login shell only has to parse three single-quoted
 * words, and the command itself always runs under {@code sh -c}. The wrapper first reports its pid on stderr (see
 * {@link PidMarkerStream}) so a timed-out command can be killed with every process it started.
 *
 * <p>Killing: a kill script, run on a second channel, stops and kills the wrapper's process tree via /proc. That works
 * on any Linux host whatever the SSH server, and catches children that left the process group. The SSH {@code signal}
 * request (which OpenSSH delivers to the session's process group, and dropbear ignores) is only the fallback for when
 * the tree kill could not run, because a signal that races with the channel's close gets the whole connection dropped.
 */
final class SshCommand implements RunningCommand {

    /** $0 is the token, $1 the command. {@code exit $?} keeps the wrapper from exec-ing sh, so its pid stays valid. */
    private static final String WRAPPER = "printf '%s %s\\n' \"$0\" \"$$\" >&2; sh -c \"$1\"; exit $?";

    /**
     * Longest exec request sent as is. dropbear (2022.83) drops the whole connection ("String too long") on a command
     * over ~9000 bytes, which a step starting 40 workload copies exceeds; longer commands are staged in a file first.
     */
    static final int MAX_INLINE_COMMAND = 4096;

    /** As {@link #WRAPPER}, for a staged command: $1 is the file holding it, read and removed before it runs. */
    private static final String FILE_WRAPPER = "printf '%s %s\\n' \"$0\" \"$$\" >&2; lab_c=$(cat \"$1\") || exit 125; "
            + "rm -f \"$1\"; sh -c \"$lab_c\"; exit $?";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long KILL_SCRIPT_TIMEOUT_SECONDS = 10;
    private static final long STAGE_TIMEOUT_SECONDS = 60;
    private static final long CLOSE_AFTER_KILL_MILLIS = 1_000;
    private static final long EXIT_POLL_MILLIS = 50;
    /** Longest we wait for the server to confirm a channel close; see {@link #close()}. */
    private static final long CLOSE_TIMEOUT_SECONDS = 10;

    private final String hostName;
    private final SSHClient client;
    private final Session.Command command;
    private final String token;
    private final PidMarkerStream stderr;

    private SshCommand(String hostName, SSHClient client, Session.Command command, String token) {
        this.hostName = hostName;
        this.client = client;
        this.command = command;
        this.token = token;
        this.stderr = new PidMarkerStream(command.getErrorStream(), token);
    }

    /** Runs {@code userCommand} on {@code session}, which it then owns (and closes if starting fails). */
    static SshCommand start(String hostName, SSHClient client, Session session, String userCommand)
            throws IOException {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String token = "lab-exec-" + HexFormat.of().formatHex(random);
        String wrapped = "sh -c " + Sh.quote(WRAPPER) + " " + token + " " + Sh.quote(userCommand);
        if (wrapped.length() > MAX_INLINE_COMMAND) {
            // The fresh session stages the command, and the command gets a session of its own afterwards: an SSH
            // session channel runs one command.
            String file = "/tmp/" + token + ".sh";
            try {
                stage(client, session, file, userCommand);
            } finally {
                closeQuietly(session);
            }
            session = SshChannels.open(client);
            wrapped = "sh -c " + Sh.quote(FILE_WRAPPER) + " " + token + " " + file;
        }
        try {
            return new SshCommand(hostName, client, SshChannels.exec(client, session, wrapped), token);
        } catch (IOException | RuntimeException e) {
            closeQuietly(session);
            throw e;
        }
    }

    /** Writes {@code command} to {@code file} on the host (owner-only) through {@code stager}, a fresh session. */
    private static void stage(SSHClient client, Session stager, String file, String command) throws IOException {
        try (Session.Command c = SshChannels.exec(client, stager, "umask 077 && cat > " + file)) {
            try (OutputStream in = c.getOutputStream()) {
                in.write(command.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                in.flush(); // close() alone may drop what the remote window has no room for yet (see CommandRunner)
            }
            c.join(STAGE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Integer status = c.getExitStatus();
            if (status == null || status != 0) {
                throw new IOException("cannot stage a " + command.length() + "-byte command in " + file
                        + " on the host (exit " + status + ")");
            }
        }
    }

    @Override
    public InputStream stdout() {
        return command.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return stderr;
    }

    @Override
    public OutputStream stdin() {
        return command.getOutputStream();
    }

    /**
     * Waits for the exit status rather than for the channel's close: OpenSSH keeps the channel open after the command
     * exited for as long as we have not sent EOF, which is the case when a command exits without reading all the
     * stdin we were feeding it.
     */
    @Override
    public OptionalInt waitFor(long millis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (true) {
            OptionalInt exit = exitCode();
            if (exit.isPresent()) {
                return exit;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return OptionalInt.empty();
            }
            try {
                command.join(Math.min(left, EXIT_POLL_MILLIS), TimeUnit.MILLISECONDS);
            } catch (ConnectionException e) {
                if (e.getCause() instanceof InterruptedException) {
                    throw new InterruptedException();
                }
                if (!(e.getCause() instanceof TimeoutException)) {
                    throw e;
                }
            }
            if (!command.isOpen() && exitCode().isEmpty()) {
                throw new IOException(hostName
                        + ": the command's channel closed without an exit status (connection lost?)");
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private OptionalInt exitCode() {
        Integer status = command.getExitStatus();
        if (status != null) {
            return OptionalInt.of(status);
        }
        Signal signal = command.getExitSignal();
        if (signal != null) {
            return OptionalInt.of(128 + signalNumber(signal));
        }
        return OptionalInt.empty();
    }

    @Override
    public void kill() {
        long pid = stderr.pid();
        if (pid > 0) {
            try {
                killTree(pid);
                // The wrapper is dead now, so sshd closes the channel; wait for that before deciding on a signal.
                command.join(CLOSE_AFTER_KILL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (IOException | RuntimeException e) {
                // timed out waiting for the close, or the kill script failed: the signal below is the fallback
            }
        }
        // Only on a channel that is still open: OpenSSH answers a request on a channel it has already freed by
        // dropping the whole connection, which would take every other command on this host with it.
        if (command.isOpen()) {
            try {
                command.signal(Signal.KILL);
            } catch (IOException | RuntimeException e) {
                // not every server accepts signals; closing the channel is all that is left
            }
        }
    }

    private void killTree(long pid) throws IOException {
        try (Session killer = SshChannels.open(client)) {
            String script = Sh.command("sh", "-c", HostScripts.killTree(), "lab-kill", Long.toString(pid), token);
            Session.Command c = SshChannels.exec(client, killer, script);
            c.getOutputStream().close();
            c.join(KILL_SCRIPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Closes the channel, waiting at most {@value #CLOSE_TIMEOUT_SECONDS}s for the server's confirmation: sshd may not
     * confirm until the command's process is gone, and a process stuck in uninterruptible sleep (not rare on a host
     * in a reclaim storm) would otherwise hang the caller along with it.
     */
    @Override
    public void close() {
        Future<?> closing = CommandRunner.io().submit(() -> closeQuietly(command));
        try {
            closing.get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // left to finish (or time out) in the background
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // the channel is already gone or the connection is; either way there is nothing left to release
        }
    }

    /** Linux numbering, so results read like those of a local shell. Unknown names map to 255-128. */
    static int signalNumber(Signal signal) {
        return switch (signal) {
            case HUP -> 1;
            case INT -> 2;
            case QUIT -> 3;
            case ILL -> 4;
            case ABRT -> 6;
            case FPE -> 8;
            case KILL -> 9;
            case USR1 -> 10;
            case SEGV -> 11;
            case USR2 -> 12;
            case PIPE -> 13;
            case ALRM -> 14;
            case TERM -> 15;
            case UNKNOWN -> 127;
        };
    }
}
