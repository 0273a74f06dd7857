package dev.reclaimlab.profile;

import dev.reclaimlab.local.Digests;
import dev.reclaimlab.local.ExclusiveLock;
import dev.reclaimlab.local.HostCommand;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds lab's sampler ({@code profile/lab-sampler.c}) on the orchestrator for a host's machine, statically linked so
 * that it runs on any Linux of that architecture (a busybox guest has no C library to link against), and keeps it by
 * checksum in {@code $LAB_HOME/cache/sampler/MACHINE-CHECKSUM/} with the compiler's output ({@code build.log}).
 * The checksum covers the source, the compiler and its version, and the flags. A build runs in a temporary folder
 * renamed into place when it succeeded, so a failed or killed one leaves nothing the cache would trust.
 */
public final class SamplerBuild {
    public static final String SOURCE = "profile/lab-sampler.c";
    static final List<String> FLAGS = List.of("-O2", "-static", "-Wall");
    private static final Duration COMPILE_TIMEOUT = Duration.ofMinutes(2);

    private final LabHome home;

    public SamplerBuild(LabHome home) {
        this.home = home;
    }

    /** The sampler's source, as shipped in lab's jar. */
    public static byte[] source() {
        try (InputStream in = SamplerBuild.class.getClassLoader().getResourceAsStream(SOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE + " is missing from lab's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The C compiler that builds for {@code machine} ({@code uname -m} of the host) on this machine: the native one
     * for the orchestrator's own architecture, else the Debian cross compiler's name.
     */
    public static Optional<String> compiler(String machine) {
        String here = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> "";
        };
        if (machine.equals(here)) {
            return Optional.of("cc");
        }
        return switch (machine) {
            case "x86_64" -> Optional.of("x86_64-linux-gnu-gcc");
            case "aarch64" -> Optional.of("aarch64-linux-gnu-gcc");
            default -> Optional.empty();
        };
    }

    /** Where the build for {@code machine} would be, without building it (what {@code lab plan} shows). */
    public Path planned(String machine) {
        return home.cache().resolve("sampler").resolve(machine + "-<checksum>").resolve("lab-sampler");
    }

    /**
     * The sampler built for {@code machine}, or the one built earlier.
     *
     * @throws ProfileException no compiler for that machine here (with the package that brings one), or the build
     *                          failed (with the compiler's lines)
     */
    @SuppressWarnings("try") // the lock is held for the block, never used in it
    public Path build(String machine, Consumer<String> progress) throws IOException, ProfileException {
        String compiler = compiler(machine).orElseThrow(() -> new ProfileException("lab's sampler cannot be built "
                + "for a " + machine + " host on this machine (x86_64 and aarch64 only)"));
        if (HostCommand.which(compiler).isEmpty()) {
            throw new ProfileException("building lab's sampler for a " + machine + " host needs " + compiler
                    + " on this machine: apt-get install " + (compiler.equals("cc") ? "gcc" : "gcc-"
                    + compiler.substring(0, compiler.length() - "-gcc".length()).replace('_', '-')));
        }
        String version = HostCommand.check(List.of(compiler, "--version"), Duration.ofSeconds(30)).stdout().lines()
                .findFirst().orElse("").strip();
        byte[] source = source();
        String key = Digests.sha256((new String(source, StandardCharsets.UTF_8) + "\ncompiler=" + compiler + " "
                + version + "\nflags=" + FLAGS).getBytes(StandardCharsets.UTF_8));
        Path root = home.cache().toAbsolutePath().resolve("sampler");
        Path target = root.resolve(machine + "-" + key.substring(0, 16));
        Path binary = target.resolve("lab-sampler");
        if (Files.isRegularFile(binary)) {
            return binary;
        }
        Files.createDirectories(root);
        try (ExclusiveLock lock = ExclusiveLock.acquire(root.resolve(".lock"),
                () -> progress.accept("waiting for another lab process that is building lab's sampler ..."))) {
            if (!Files.isRegularFile(binary)) {
                compile(compiler, source, target, progress);
            }
        }
        return binary;
    }

    private static void compile(String compiler, byte[] source, Path target, Consumer<String> progress)
            throws IOException, ProfileException {
        progress.accept("building lab's sampler with " + compiler + " ...");
        Path work = Files.createTempDirectory(target.getParent(), ".build-");
        try {
            Path c = work.resolve("lab-sampler.c");
            Files.write(c, source);
            List<String> argv = new ArrayList<>(List.of(compiler));
            argv.addAll(FLAGS);
            argv.addAll(List.of("-o", work.resolve("lab-sampler").toString(), c.toString()));
            HostCommand.Result result = HostCommand.run(argv, COMPILE_TIMEOUT);
            Files.writeString(work.resolve("build.log"), String.join(" ", argv) + "\n" + result.stdout()
                    + result.stderr());
            if (!result.ok()) {
                throw new ProfileException("building lab's sampler failed: " + result.describe());
            }
            Trees.moveIntoPlace(work, target);
        } finally {
            if (Files.exists(work)) {
                Trees.delete(work);
            }
        }
    }
}
