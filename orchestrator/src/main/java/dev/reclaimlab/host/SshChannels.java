package dev.reclaimlab.host;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.schmizz.concurrent.Event;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.ChannelInputStream;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.SessionChannel;
import net.schmizz.sshj.transport.TransportException;

/**
 * Session channels that keep to the protocol around a close, and requests that never wait long for an answer.
 *
 * <p><b>A channel the server closes before its command starts.</b> dropbear before 2024.86 (Debian 12's 2022.83, in
 * every lab vm guest) closes a freshly opened session channel at once when one of the connection's other commands
 * exits in the same instant. sshj then answers the close, and the exec request that follows names a channel dropbear
 * has freed: dropbear ends the whole connection ("Unknown channel 0") and sshj waits for an exec reply that never
 * comes. {@link OrderlySession} sends no request once the server's close has arrived, so {@link #exec} can start the
 * command on a new channel; a close that crosses an exec already sent fails the exec at once, since the command may
 * have started. {@link SshTransport} keeps such servers to one command per connection (see {@link DropbearVersion}),
 * so this is the last line of defence, for a server whose version does not say.
 *
 * <p><b>No window adjustment after a close.</b> sshj sends a channel's window adjustments from whichever thread reads
 * its output, possibly after it answered the server's close (a large download read by a slower writer); dropbear
 * ends the connection for that too. {@link OrderlySession} switches the readers' adjustments off first.
 *
 * <p><b>Bounded waits for an answer.</b> Opening a channel and starting a command each wait for the server's reply,
 * which sshj bounds only by the connection's channel timeout (an hour, see {@link SshTransport}). Past
 * {@link #ANSWER_TIMEOUT} the connection is ended so the next command reconnects, and the caller gets an error.
 */
final class SshChannels {

    /** Generous: even a host deep in a reclaim storm forks a shell within seconds. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    /** New channels tried when the server closes them before their command is sent. */
    private static final int START_ATTEMPTS = 3;

    private SshChannels() {
    }

    /** Opens a session channel on {@code client}; an {@link IOException} if the connection is down. */
    static Session open(SSHClient client) throws IOException {
        if (!client.isConnected() || !client.isAuthenticated()) {
            throw new TransportException("not connected");
        }
        OrderlySession session = new OrderlySession(client);
        answered(client, "opening a channel", () -> {
            session.open();
            return null;
        });
        return session;
    }

    /**
     * Starts {@code command} on {@code session} (opened by {@link #open}) and returns once the server accepted it. If
     * the server closed the channel before the command was sent, it is started on a new channel: the returned command
     * is then not {@code session}, which is closed.
     */
    static Session.Command exec(SSHClient client, Session session, String command) throws IOException {
        Session current = session;
        for (int attempt = 1; ; attempt++) {
            Session channel = current;
            try {
                return answered(client, "starting a command", () -> channel.exec(command));
            } catch (IOException e) {
                if (!closedBeforeSent(e) || attempt == START_ATTEMPTS) {
                    if (channel != session) {
                        closeQuietly(channel); // the caller closes the one it gave
                    }
                    throw e;
                }
                closeQuietly(channel);
                current = open(client);
            }
        }
    }

    private static boolean closedBeforeSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ClosedBeforeSent) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (IOException | RuntimeException ignored) {
            // the server closed it already
        }
    }

    private static <T> T answered(SSHClient client, String what, Callable<T> request) throws IOException {
        Future<T> answer = CommandRunner.io().submit(request);
        try {
            return answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(e.getCause());
        } catch (TimeoutException e) {
            answer.cancel(true);
            IOException failure = new IOException("no answer from the SSH server within "
                    + ReadableDuration.of(ANSWER_TIMEOUT) + " " + what + "; the connection is dropped and the next"
                    + " command reconnects");
            client.getTransport().die(failure);
            throw failure;
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while " + what);
        }
    }

    /** A request not sent because the server had closed the channel: nothing ran. */
    private static final class ClosedBeforeSent extends TransportException {
        ClosedBeforeSent(String request) {
            super("the server closed the channel before the " + request + " request was sent");
        }
    }

    /** See the class comment: no request and no reader adjustment once the server's close has arrived. */
    private static final class OrderlySession extends SessionChannel {
        /** Guards {@link #closedByServer} against a request being written as the close arrives. */
        private final Object requests = new Object();
        private boolean closedByServer;
        /** Set while a request that wants a reply is unanswered; written by the caller, then the reader thread. */
        private volatile boolean awaitingReply;

        OrderlySession(SSHClient client) {
            super(client.getConnection(), client.getRemoteCharset());
        }

        @Override
        protected Event<ConnectionException> sendChannelRequest(String type, boolean wantReply,
                                                                Buffer.PlainBuffer specific)
                throws TransportException {
            // Held across the write (bounded by the transport's timeout should a key exchange hold it), so the
            // server's close is either seen here or arrives after the request is on the wire.
            synchronized (requests) {
                if (closedByServer) {
                    throw new ClosedBeforeSent(type);
                }
                awaitingReply = wantReply;
                return super.sendChannelRequest(type, wantReply, specific);
            }
        }

        @Override
        public void handle(Message msg, SSHPacket buf) throws SSHException {
            if (msg == Message.CHANNEL_SUCCESS || msg == Message.CHANNEL_FAILURE) {
                awaitingReply = false;
            } else if (msg == Message.CHANNEL_CLOSE) {
                synchronized (requests) {
                    closedByServer = true;
                }
                stopReaderAdjustments(); // sshj answers the close inside super.handle
            }
            super.handle(msg, buf);
            if (msg == Message.CHANNEL_CLOSE && awaitingReply) {
                // sshj forgets the channel on close without failing its unanswered request, which would then wait
                // for the channel timeout. The command may have started: say so rather than start it again.
                notifyError(new ConnectionException("the server closed the channel while the command was being"
                        + " started; it may have run"));
            }
        }

        /**
         * A read sends an adjustment only when the channel does not auto-expand, and decides that under its stream's
         * lock; taking each lock once after the switch waits out a read that decided before it.
         */
        private void stopReaderAdjustments() {
            setAutoExpand(true);
            ((ChannelInputStream) getInputStream()).available();
            ((ChannelInputStream) getErrorStream()).available();
        }
    }
}
