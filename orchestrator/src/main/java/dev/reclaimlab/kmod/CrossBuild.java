package dev.reclaimlab.kmod;

import dev.reclaimlab.local.ExclusiveLock;
import dev.reclaimlab.local.HostCommand;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.local.Trees;
import dev.reclaimlab.vm.KernelBuildTree;
import dev.reclaimlab.vm.KernelHeaders;
import dev.reclaimlab.vm.VmException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds a {@link ModuleSource} into a {@code .ko} for an arm64 guest, on this machine: make with the arm64 cross
 * compiler against Debian's headers of the guest's kernel ({@link KernelHeaders}). A module is built once and kept by
 * checksum in {@code $LAB_HOME/cache/arm64/modules}:
 * <pre>
 * modules/CHECKSUM/NAME.ko     the module
 * modules/CHECKSUM/build.log   make's command line and everything it printed
 * </pre>
 * The checksum covers the source, the kernel release, the headers' Debian version and the versions of the compiler
 * (and of pahole, for kernels whose modules carry BTF). A build
 * runs in a temporary folder that is renamed into place only when the module is there, so a failed or killed build
 * leaves nothing the cache would trust.
 */
public final class CrossBuild {
    static final Duration MAKE_TIMEOUT = Duration.ofMinutes(5);
    static final String LOG = "build.log";
    /** Enough compiler lines to see the first errors, few enough for a terminal. */
    static final int DIAGNOSTIC_LINES = 30;

    private final LabHome home;
    private final Path root;

    public CrossBuild(LabHome home) {
        this.home = home;
        this.root = home.cache().toAbsolutePath().resolve("modules");
    }

    /**
     * The {@code .ko} of {@code source}, built for the kernel it was rendered for ({@link ModuleSource#kernel()}, a
     * guest's {@code uname -r}), or the one built earlier. The headers are downloaded first if they are not cached.
     *
     * @throws VmException a tool or the headers are missing (with what to do), or the build failed (with the
     *                     compiler's error lines)
     */
    @SuppressWarnings("try") // the lock is held for the block's duration, never used inside it
    public Path build(ModuleSource source, Consumer<String> progress) throws IOException, VmException {
        KernelBuildTree tree = new KernelHeaders(home, progress).prepare(source.kernel());
        Path target = cacheDir(root, source, buildFor(tree, toolchain(tree)));
        Path ko = target.resolve(source.koName());
        if (!Files.isRegularFile(ko)) {
            try (ExclusiveLock lock = ExclusiveLock.acquire(root.resolve(".lock"),
                    () -> progress.accept("waiting for another lab process that is building a kernel module ..."))) {
                if (!Files.isRegularFile(ko)) {
                    make(source, tree, target, progress);
                    return ko;
                }
            }
        }
        progress.accept("using cached " + source.koName() + " for " + source.kernel() + " ("
                + target.getFileName().toString().substring(0, 12) + ")");
        return ko;
    }

    /** Where the build of {@code source} for {@code buildFor} is kept. */
    static Path cacheDir(Path modules, ModuleSource source, String buildFor) {
        return modules.resolve(source.checksum(buildFor));
    }

    /** What, besides the source, decides the binary: the kernel, its headers' version, the tools. */
    static String buildFor(KernelBuildTree tree, String toolchain) {
        return "release=" + tree.release() + "\nheaders=" + tree.version() + "\ncompiler=" + toolchain;
    }

    /**
     * The first line of {@code --version} of the compiler, e.g. {@code aarch64-linux-gnu-gcc-12 (Debian 12.2.0-14)
     * 12.2.0}, and of pahole where it runs: an update of either builds every module anew.
     */
    private static String toolchain(KernelBuildTree tree) throws IOException {
        String version = firstLine(tree.compiler(), "--version");
        return tree.needsPahole() ? version + "\npahole " + firstLine("pahole", "--version") : version;
    }

    private static String firstLine(String... argv) throws IOException {
        return HostCommand.check(List.of(argv), Duration.ofSeconds(30)).stdout().lines().findFirst().orElse("").strip();
    }

    private void make(ModuleSource source, KernelBuildTree tree, Path target, Consumer<String> progress)
            throws IOException, VmException {
        if (!source.files().containsKey("Kbuild") && !source.files().containsKey("Makefile")) {
            throw new VmException(VmException.Kind.BAD_INPUT, "module " + source.name() + " has no Kbuild or Makefile"
                    + " (files: " + String.join(", ", source.files().keySet()) + ")");
        }
        long started = System.nanoTime();
        progress.accept("building " + source.koName() + " for " + source.kernel() + " ...");
        // Whatever is in .tmp/ was left by a build that was killed (only lock holders write there).
        Trees.delete(root.resolve(".tmp"));
        Files.createDirectories(root.resolve(".tmp"));
        Path staging = Files.createTempDirectory(root.resolve(".tmp"), source.name() + "-");
        try {
            Path src = staging.resolve("src");
            Files.createDirectories(src);
            for (Map.Entry<String, String> file : source.files().entrySet()) {
                Files.writeString(src.resolve(file.getKey()), file.getValue());
            }
            List<String> argv = List.of("make", "-C", tree.dir().toString(), "M=" + src, "ARCH=arm64",
                    "CROSS_COMPILE=" + KernelBuildTree.CROSS_COMPILE, "modules");
            HostCommand.Result result;
            try {
                result = HostCommand.run(argv, MAKE_TIMEOUT);
            } catch (IOException e) {
                throw new VmException(VmException.Kind.FAILED, "building " + source.koName() + " for "
                        + source.kernel() + " failed: " + e.getMessage(), e);
            }
            String output = result.stdout() + result.stderr();
            if (!result.ok()) {
                throw new VmException(VmException.Kind.FAILED, "building " + source.koName() + " for "
                        + source.kernel() + " failed (make exited " + result.exit() + "):\n"
                        + String.join("\n", diagnostics(output, src)).indent(2).stripTrailing());
            }
            Path built = src.resolve(source.koName());
            if (!Files.isRegularFile(built)) {
                throw new VmException(VmException.Kind.FAILED, "make built no " + source.koName() + " for "
                        + source.kernel() + " (does Kbuild say obj-m := " + source.name() + ".o?)\n"
                        + result.describe());
            }
            Path out = staging.resolve("out");
            Files.createDirectories(out);
            Files.move(built, out.resolve(source.koName()));
            Files.writeString(out.resolve(LOG), "$ " + String.join(" ", argv) + "\n" + output, StandardCharsets.UTF_8);
            Files.createDirectories(root);
            Trees.delete(target);
            Files.move(out, target);
            progress.accept(String.format(Locale.ROOT, "built %s for %s in %.1fs", source.koName(), source.kernel(),
                    (System.nanoTime() - started) / 1e9));
        } finally {
            Trees.delete(staging);
        }
    }

    /**
     * The first lines of make's output that mention an error, a warning or a missing program (the compiler's, with
     * file and line), with the temporary folder's path cut so they read {@code hello.c:3:1: error: ...} (the folder
     * itself reads {@code .}); the last lines if none do.
     */
    static List<String> diagnostics(String output, Path src) {
        List<String> lines = output.lines().map(l -> l.replace(src + "/", "").replace(src.toString(), ".")).toList();
        List<String> found = lines.stream()
                .filter(l -> {
                    String lower = l.toLowerCase(Locale.ROOT);
                    return lower.contains("error") || lower.contains("warning") || lower.contains("not found");
                })
                .limit(DIAGNOSTIC_LINES).toList();
        return found.isEmpty() ? lines.subList(Math.max(0, lines.size() - 10), lines.size()) : found;
    }
}
