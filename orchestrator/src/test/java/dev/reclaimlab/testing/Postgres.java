package dev.reclaimlab.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real PostgreSQL server for one test class: Debian's {@code postgresql} binaries, a fresh cluster in a temporary
 * folder owned by the {@code postgres} user (the server refuses to run as root), listening on a free loopback port
 * with trust authentication. {@link #close()} stops it fast and deletes the cluster.
 */
public final class Postgres implements AutoCloseable {
    private final Path bin;
    private final Path data;
    private final int port;

    private Postgres(Path bin, Path data, int port) {
        this.bin = bin;
        this.data = data;
        this.port = port;
    }

    public static Postgres start() throws IOException, InterruptedException {
        Path bin = binaries();
        Path dir = Files.createTempDirectory("lab-pg-");
        Path data = dir.resolve("data");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        run(List.of("chown", "postgres:postgres", dir.toString()));
        run(asPostgres(bin.resolve("initdb").toString(), "-D", data.toString(), "--auth=trust", "-U", "postgres",
                "--encoding=UTF8", "--locale=C"));
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t", "60", "-l",
                dir.resolve("server.log").toString(), "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1"
                        + " -c fsync=off", "start"));
        return new Postgres(bin, data, port);
    }

    /** A JDBC URL of the server's {@code postgres} database, as the superuser. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    /** A fresh database on the server, for a test that needs one of its own. */
    public String createDatabase(String name) throws IOException, InterruptedException {
        run(asPostgres(bin.resolve("psql").toString(), "-h", "127.0.0.1",
                "-p", Integer.toString(port), "-U", "postgres", "-c", "CREATE DATABASE " + name));
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + name + "?user=postgres";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run(asPostgres(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        dev.reclaimlab.local.Trees.delete(data.getParent());
    }

    private static Path binaries() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path newest = versions.filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                        .max(java.util.Comparator.comparing(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                        .orElse(null);
                if (newest != null) {
                    return newest.resolve("bin");
                }
            }
        }
        return fail("PostgreSQL is missing: apt-get install -y postgresql (scripts/test installs what the tests need)");
    }

    private static List<String> asPostgres(String... command) {
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(List.of(command));
        return out;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
