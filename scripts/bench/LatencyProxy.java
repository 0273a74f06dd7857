import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP proxy that adds a fixed delay to every byte in each direction, for benchmarks of lab over a slow link on a
 * machine whose kernel has no netem. Each chunk read is stamped and written to the other side once its delay has
 * passed, in order, so the link has the latency of a long path and the bandwidth of loopback.
 *
 *   java scripts/bench/LatencyProxy.java LISTEN_PORT TARGET_PORT DELAY_MS
 *
 * Listens on 127.0.0.1:LISTEN_PORT (0: any free port, printed on the first line of stdout) and forwards to
 * 127.0.0.1:TARGET_PORT. Runs until killed.
 */
public final class LatencyProxy {
    private record Chunk(long dueNanos, byte[] bytes) {}

    private static final Chunk END = new Chunk(0, new byte[0]);

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: LatencyProxy LISTEN_PORT TARGET_PORT DELAY_MS");
            System.exit(2);
        }
        int listen = Integer.parseInt(args[0]);
        int target = Integer.parseInt(args[1]);
        long delayNanos = Long.parseLong(args[2]) * 1_000_000L;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, listen));
            System.out.println(server.getLocalPort());
            System.out.flush();
            while (true) {
                Socket client = server.accept();
                Socket upstream = new Socket(loopback, target);
                for (Socket s : new Socket[] {client, upstream}) {
                    s.setTcpNoDelay(true);
                }
                Thread up = pipe(client, upstream, delayNanos);
                Thread down = pipe(upstream, client, delayNanos);
                Thread closer = new Thread(() -> {
                    try {
                        up.join();
                        down.join();
                        client.close();
                        upstream.close();
                    } catch (IOException | InterruptedException ignored) {
                        // closing is all that is left
                    }
                });
                closer.setDaemon(true);
                closer.start();
            }
        }
    }

    /** Copies from → to, each chunk held back until delayNanos after it was read; returns the writing thread. */
    private static Thread pipe(Socket from, Socket to, long delayNanos) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    queue.add(new Chunk(System.nanoTime() + delayNanos, Arrays.copyOf(buffer, n)));
                }
            } catch (IOException ignored) {
                // the connection ended
            }
            queue.add(END);
        });
        Thread writer = new Thread(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == END) {
                        break;
                    }
                    long wait = chunk.dueNanos() - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException ignored) {
                // the other side went away
            }
        });
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
        return writer;
    }
}
