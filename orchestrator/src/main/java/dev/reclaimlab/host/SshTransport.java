package dev.reclaimlab.host;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;

/**
 * A host reached over SSH (sshj). One connection per host, opened by {@link #connect} and reused for every command;
 * each command gets its own session channel on it, so commands can run concurrently (up to the server's
 * {@code MaxSessions}, 10 by default on OpenSSH). A server that cannot start a command safely while another runs on
 * the same connection (older dropbear, see {@link DropbearVersion}) gets a further connection per concurrent command.
 * If a connection drops (a host reboot during an experiment), the next command reconnects, with the same host-key
 * check.
 *
 * <p>Only exec channels are used, never SFTP or scp, so the far side can be dropbear with busybox.
 */
public final class SshTransport extends LaunchingTransport {

    /**
     * How often the connection is probed; after {@link #KEEPALIVE_MISSES} unanswered probes it is treated as dead, so a
     * cut link is noticed within about half a minute (and the host's watchdog undoes the run when it stays cut).
     */
    private static final int KEEPALIVE_SECONDS = 5;
    private static final int KEEPALIVE_MISSES = 5;
    /**
     * sshj's limit for channel operations, including how long a write may wait for a command to read its stdin.
     * Its default (30s) would fail an upload whenever the host stalls that long, which a host in a reclaim storm
     * does. Whether the server is alive is the keepalive's call; how long a command may take is its timeout's.
     */
    private static final int CHANNEL_TIMEOUT_MILLIS = (int) Duration.ofHours(1).toMillis();
    /**
     * How long the server may take to send its banner, exchange keys and log us in. Without a limit a host whose kernel
     * still accepts TCP connections but whose sshd never runs (a hung userland, a stopped VM) holds the connect forever.
     * Generous: sshd on a host in a reclaim storm forks slowly. Afterwards reads have no limit; the keepalive judges.
     */
    private static final int HANDSHAKE_TIMEOUT_MILLIS = (int) Duration.ofSeconds(60).toMillis();

    private final SshTarget target;
    private final SshEnvironment environment;
    /** The connections, the first for every command unless {@link #acquire} says otherwise; guarded by this. */
    private final List<Link> links = new ArrayList<>();
    private boolean closed;

    private SshTransport(SshTarget target, SshEnvironment environment) {
        super(target.name());
        this.target = target;
        this.environment = environment;
    }

    /** Connects and authenticates now, so a wrong address, key or host key is reported before any step runs. */
    public static SshTransport connect(SshTarget target) throws IOException {
        return connect(target, SshEnvironment.fromSystem());
    }

    public static SshTransport connect(SshTarget target, SshEnvironment environment) throws IOException {
        SshTransport transport = new SshTransport(Objects.requireNonNull(target), Objects.requireNonNull(environment));
        transport.client();
        return transport;
    }

    public SshTarget target() {
        return target;
    }

    @Override
    public synchronized void close() {
        closed = true;
        disconnect();
    }

    @Override
    public String toString() {
        return "SshTransport[" + target.describe() + "]";
    }

    @Override
    RunningCommand launch(String command) throws IOException {
        Link link = acquire();
        try {
            RunningCommand running = start(link, command);
            return new ReleasingCommand(running, () -> release(link));
        } catch (IOException | RuntimeException e) {
            release(link);
            throw e;
        }
    }

    private RunningCommand start(Link link, String command) throws IOException {
        SSHClient client = link.client();
        if (client == null) {
            throw new IOException("connection to " + target.describe() + " is closed");
        }
        Session session;
        try {
            session = SshChannels.open(client);
        } catch (IOException e) {
            if (e instanceof OpenFailException || client.isConnected()) {
                throw sessionFailure(e);
            }
            // The connection died since the last command (a host reboot, say) and sshj only noticed now. No command
            // was sent yet, so reconnecting and trying again cannot run anything twice.
            client = reconnect(link);
            try {
                session = SshChannels.open(client);
            } catch (IOException again) {
                throw sessionFailure(again);
            }
        }
        try {
            return SshCommand.start(target.name(), client, session, command);
        } catch (IOException e) {
            throw new IOException(target.describe() + ": cannot start the command: " + e.getMessage(), e);
        }
    }

    private IOException sessionFailure(IOException e) {
        if (e instanceof OpenFailException) {
            return new IOException(target.describe() + ": the server refused a new session (" + e.getMessage()
                    + "); more commands at once than its MaxSessions allows?", e);
        }
        return new IOException(target.describe() + ": cannot open a session: " + e.getMessage(), e);
    }

    /** The connected target client of the first connection, connecting first if there is none or it died. */
    private synchronized SSHClient client() throws IOException {
        if (closed) {
            throw new IOException("connection to " + target.describe() + " is closed");
        }
        if (links.isEmpty()) {
            links.add(new Link());
        }
        return links.get(0).connected();
    }

    /**
     * The connection the next command runs on, counted as busy until {@link #release}: the first one, unless the
     * server cannot take a second command on it (see {@link DropbearVersion}); then an idle one or a new one.
     */
    private synchronized Link acquire() throws IOException {
        SSHClient first = client();
        Link link = links.get(0);
        if (link.running > 0 && !DropbearVersion.sharesConnectionsSafely(first)) {
            link = links.stream().filter(l -> l.running == 0).findFirst().orElse(null);
            if (link == null) {
                link = new Link();
                links.add(link);
            }
            link.connected();
        }
        link.running++;
        return link;
    }

    private synchronized void release(Link link) {
        link.running--;
    }

    private synchronized SSHClient reconnect(Link link) throws IOException {
        if (closed) {
            throw new IOException("connection to " + target.describe() + " is closed");
        }
        link.disconnect();
        return link.connected();
    }

    private void disconnect() {
        links.forEach(Link::disconnect);
        links.clear();
    }

    /** One connection to the target (through its jump hosts), and how many commands run on it. */
    private final class Link {
        /** Jump hosts first, target last; empty when not connected. */
        private List<SSHClient> hops = List.of();
        private int running;

        /** Its target client, connecting first if there is none or the last one died. Called under the lock. */
        SSHClient connected() throws IOException {
            if (!hops.isEmpty()) {
                SSHClient last = hops.get(hops.size() - 1);
                if (last.isConnected() && last.isAuthenticated()) {
                    return last;
                }
                disconnect();
            }
            List<SSHClient> opened = new ArrayList<>();
            try {
                open(target, opened);
            } catch (IOException | RuntimeException e) {
                closeAll(opened);
                throw e;
            }
            hops = Collections.unmodifiableList(opened);
            return opened.get(opened.size() - 1);
        }

        /** The target client as last connected, which may have died since. */
        SSHClient client() {
            synchronized (SshTransport.this) {
                return hops.isEmpty() ? null : hops.get(hops.size() - 1);
            }
        }

        void disconnect() {
            List<SSHClient> old = hops;
            hops = List.of();
            closeAll(old);
        }
    }

    private static void closeAll(List<SSHClient> clients) {
        for (int i = clients.size() - 1; i >= 0; i--) { // target first, then the hops it tunnels through
            try {
                clients.get(i).close();
            } catch (IOException | RuntimeException ignored) {
                // already broken; nothing more to release
            }
        }
    }

    /** Opens {@code hop} (after its own jump hosts), appending every client it opens to {@code opened}. */
    private void open(SshTarget hop, List<SSHClient> opened) throws IOException {
        DefaultConfig config = new DefaultConfig();
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient client = new SSHClient(config);
        KnownHostsVerifier verifier = new KnownHostsVerifier(hop);
        client.addHostKeyVerifier(verifier);
        client.setConnectTimeout(Math.toIntExact(hop.connectTimeout().toMillis()));
        client.setTimeout(HANDSHAKE_TIMEOUT_MILLIS);
        client.getConnection().getKeepAlive().setKeepAliveInterval(KEEPALIVE_SECONDS);
        if (client.getConnection().getKeepAlive() instanceof net.schmizz.keepalive.KeepAliveRunner runner) {
            runner.setMaxAliveCount(KEEPALIVE_MISSES);
        }
        client.getConnection().setTimeoutMs(CHANNEL_TIMEOUT_MILLIS);
        // The jump host goes first and reports its own failures; the catches below are about this hop only.
        SSHClient jumpClient = null;
        if (hop.jump().isPresent()) {
            open(hop.jump().get(), opened);
            jumpClient = opened.get(opened.size() - 1);
        }
        opened.add(client); // after its jump hosts: the list runs from the first hop to the target
        try {
            if (jumpClient != null) {
                try {
                    client.connectVia(jumpClient.newDirectConnection(hop.address(), hop.port()));
                } catch (OpenFailException e) {
                    throw new IOException(hop.describe() + ": jump host " + hop.jump().get().name()
                            + " could not connect to " + hop.address() + ":" + hop.port() + " (" + e.getMessage()
                            + ")", e);
                }
            } else {
                client.connect(hop.address(), hop.port());
            }
        } catch (UnknownHostException e) {
            throw new IOException(hop.describe() + ": cannot resolve host name " + hop.address(), e);
        } catch (ConnectException e) {
            throw new IOException(hop.describe() + ": connection refused (is sshd running on port " + hop.port()
                    + "?)", e);
        } catch (NoRouteToHostException e) {
            throw new IOException(hop.describe() + ": no route to host", e);
        } catch (SocketTimeoutException e) {
            throw new IOException(hop.describe() + ": no answer within " + ReadableDuration.of(hop.connectTimeout())
                    + " (host down or port filtered?)", e);
        } catch (IOException e) {
            if (verifier.refusal().isPresent()) {
                throw verifier.refusal().get();
            }
            if (e.getMessage() != null && e.getMessage().startsWith(hop.describe())) {
                throw e; // already says which hop and what failed
            }
            throw new IOException(hop.describe() + ": SSH connection failed: " + e.getMessage(), e);
        }
        authenticate(client, hop);
        if (client.getSocket() != null) { // a hop through a jump host has a channel, not a socket
            client.getSocket().setSoTimeout(0);
        }
    }

    private void authenticate(SSHClient client, SshTarget hop) throws IOException {
        SshKeys keys = SshKeys.collect(client, hop, environment);
        List<AuthMethod> methods = keys.methods();
        if (methods.isEmpty()) {
            throw new IOException(hop.describe() + ": no key to log in with: " + keys.summary());
        }
        try {
            client.auth(hop.user(), methods);
        } catch (UserAuthException e) {
            String allowed;
            try {
                allowed = String.join(",", client.getUserAuth().getAllowedMethods());
            } catch (RuntimeException ignored) {
                allowed = "?";
            }
            throw new IOException(hop.describe() + ": authentication failed (server accepts: " + allowed + "; tried "
                    + keys.summary() + ")", e);
        } catch (IOException e) {
            // e.g. the server hung up after MaxAuthTries keys ("Too many authentication failures")
            throw new IOException(hop.describe() + ": authentication failed: " + e.getMessage() + " (tried "
                    + keys.summary() + ")", e);
        }
    }
}
