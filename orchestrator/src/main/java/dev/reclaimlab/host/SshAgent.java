package dev.reclaimlab.host;

import dev.reclaimlab.units.Durations;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.sshj.common.Buffer;

/**
 * A client for the ssh-agent protocol (draft-miller-ssh-agent) over the agent's unix socket: lists keys and asks for
 * signatures. The private keys never leave the agent.
 *
 * <p>Written here because sshj has no agent support of its own and the old bridge (jsch-agent-proxy-sshj) targets an
 * sshj API that no longer exists; the JDK's unix-domain sockets (Java 16+) make the protocol a page of code. Each call
 * opens its own short connection, so one agent client is safe to share between threads.
 */
final class SshAgent {

    /** One key the agent holds: its public key blob in SSH wire format and the comment ssh-add gave it. */
    record Identity(byte[] keyBlob, String comment) {
        String keyType() {
            try {
                return new Buffer.PlainBuffer(keyBlob).readString();
            } catch (Buffer.BufferException e) {
                return "unknown";
            }
        }
    }

    private static final byte FAILURE = 5;
    private static final byte REQUEST_IDENTITIES = 11;
    private static final byte IDENTITIES_ANSWER = 12;
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    /** Sign-request flags that select the hash for RSA keys; without them the agent signs with SHA-1 (ssh-rsa). */
    static final int RSA_SHA2_256 = 2;
    static final int RSA_SHA2_512 = 4;
    /** Larger replies than this are not an agent speaking the protocol. */
    private static final int MAX_MESSAGE = 256 * 1024;
    /**
     * How long one call may take. Long enough for an agent that asks its user to confirm a signature (ssh-add -c),
     * short enough that a hung agent fails the connection instead of hanging the run.
     */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** Closes the socket of a call that overran: the blocked read then fails at once. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ssh-agent-deadline");
        thread.setDaemon(true);
        return thread;
    });

    private final Path socket;

    private final Duration timeout;

    SshAgent(Path socket) {
        this(socket, CALL_TIMEOUT);
    }

    SshAgent(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    Path socket() {
        return socket;
    }

    List<Identity> identities() throws IOException {
        byte[] reply = call(new byte[] {REQUEST_IDENTITIES});
        if (reply[0] != IDENTITIES_ANSWER) {
            throw new IOException("ssh-agent at " + socket + " refused to list keys (reply type " + reply[0] + ")");
        }
        try {
            Buffer.PlainBuffer buf = new Buffer.PlainBuffer(reply);
            buf.readByte();
            long count = buf.readUInt32();
            List<Identity> identities = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                byte[] blob = buf.readBytes();
                String comment = buf.readString(StandardCharsets.UTF_8);
                identities.add(new Identity(blob, comment));
            }
            return identities;
        } catch (Buffer.BufferException e) {
            throw new IOException("ssh-agent at " + socket + " sent a malformed key list", e);
        }
    }

    /** Signs {@code data} with key {@code keyBlob}; returns the signature in SSH wire form (algorithm, signature). */
    byte[] sign(byte[] keyBlob, byte[] data, int flags) throws IOException {
        byte[] request = new Buffer.PlainBuffer()
                .putByte(SIGN_REQUEST)
                .putBytes(keyBlob)
                .putBytes(data)
                .putUInt32(flags)
                .getCompactData();
        byte[] reply = call(request);
        if (reply[0] == FAILURE) {
            throw new IOException("ssh-agent at " + socket + " refused to sign (key locked or confirmation denied?)");
        }
        if (reply[0] != SIGN_RESPONSE) {
            throw new IOException("ssh-agent at " + socket + " sent reply type " + reply[0] + " to a sign request");
        }
        try {
            Buffer.PlainBuffer buf = new Buffer.PlainBuffer(reply);
            buf.readByte();
            return buf.readBytes();
        } catch (Buffer.BufferException e) {
            throw new IOException("ssh-agent at " + socket + " sent a malformed signature", e);
        }
    }

    private byte[] call(byte[] message) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        AtomicBoolean overran = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            overran.set(true);
            closeQuietly(channel);
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (channel) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            OutputStream out = Channels.newOutputStream(channel);
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(message.length);
            data.write(message);
            data.flush();
            InputStream in = Channels.newInputStream(channel);
            DataInputStream reply = new DataInputStream(in);
            int length = reply.readInt();
            if (length <= 0 || length > MAX_MESSAGE) {
                throw new IOException("ssh-agent at " + socket + " sent a reply of " + length + " bytes");
            }
            byte[] body = new byte[length];
            reply.readFully(body);
            return body;
        } catch (IOException e) {
            if (overran.get()) {
                throw new IOException("ssh-agent at " + socket + " did not answer within "
                        + Durations.format(timeout) + " (is it waiting for a confirmation, or hung?)", e);
            }
            if (e instanceof EOFException) {
                throw new IOException("ssh-agent at " + socket + " closed the connection mid-reply", e);
            }
            throw new IOException("ssh-agent at " + socket + ": " + e.getMessage(), e);
        } finally {
            deadline.cancel(false);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the call fails with its own error
        }
    }
}
