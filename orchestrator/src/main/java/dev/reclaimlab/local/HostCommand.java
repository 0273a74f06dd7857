package dev.reclaimlab.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program on this machine (apt, dpkg-deb, mkfs.ext4, qemu, make) with an argv, never through a shell, under a
 * time limit, with the C locale so its output parses the same everywhere.
 */
public final class HostCommand {
    /** Where Debian keeps tools a non-root PATH may lack (mkfs.ext4 is in /usr/sbin). */
    private static final List<String> EXTRA_PATH = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

    private HostCommand() {}

    public record Result(List<String> argv, int exit, String stdout, String stderr) {
        public Result {
            argv = List.copyOf(argv);
        }

        public boolean ok() {
            return exit == 0;
        }

        /** The program and what it said, for an error message. */
        public String describe() {
            String said = (stderr.isBlank() ? stdout : stderr).strip();
            int lines = 0;
            int cut = said.length();
            for (int i = said.length() - 1; i >= 0; i--) {
                if (said.charAt(i) == '\n' && ++lines == 8) {
                    cut = i + 1;
                    break;
                }
            }
            String tail = lines >= 8 ? said.substring(cut) : said;
            return String.join(" ", argv) + " exited " + exit + (tail.isEmpty() ? "" : ":\n" + tail.indent(2).stripTrailing());
        }
    }

    /** The full path of {@code program} on PATH (or in the sbin folders), if it is there. */
    public static Optional<Path> which(String program) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(":")));
        }
        dirs.addAll(EXTRA_PATH);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static Result run(List<String> argv, Duration timeout) throws IOException {
        return run(argv, timeout, null);
    }

    /** Runs {@code argv} in {@code dir} (null: the current folder); a timeout kills it and throws. */
    public static Result run(List<String> argv, Duration timeout, Path dir) throws IOException {
        return run(argv, timeout, dir, Map.of());
    }

    /** As {@link #run(List, Duration, Path)}, with {@code env} added to the program's environment. */
    public static Result run(List<String> argv, Duration timeout, Path dir, Map<String, String> env)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(resolve(argv)).redirectInput(ProcessBuilder.Redirect.from(
                Path.of("/dev/null").toFile()));
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        environment(builder.environment());
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IOException("cannot run " + argv.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IOException(String.join(" ", argv) + " did not finish within " + timeout.toSeconds() + "s");
            }
            return new Result(argv, process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + argv.get(0), e);
        }
    }

    /** As {@link #run}, but a non-zero exit is an error that quotes what the program said. */
    public static Result check(List<String> argv, Duration timeout, Path dir) throws IOException {
        Result result = run(argv, timeout, dir);
        if (!result.ok()) {
            throw new IOException(result.describe());
        }
        return result;
    }

    public static Result check(List<String> argv, Duration timeout) throws IOException {
        return check(argv, timeout, null);
    }

    /** Sets up a child's environment as every command here runs: C locale, no prompts, the sbin folders on PATH. */
    public static void environment(Map<String, String> env) {
        env.put("LC_ALL", "C");
        env.put("DEBIAN_FRONTEND", "noninteractive");
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : EXTRA_PATH) {
            if (!(":" + path + ":").contains(":" + dir + ":")) {
                path = path + ":" + dir;
            }
        }
        env.put("PATH", path);
    }

    private static List<String> resolve(List<String> argv) {
        List<String> resolved = new ArrayList<>(argv);
        if (!argv.get(0).contains("/")) {
            which(argv.get(0)).ifPresent(p -> resolved.set(0, p.toString()));
        }
        return resolved;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
