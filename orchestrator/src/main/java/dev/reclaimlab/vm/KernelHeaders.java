package dev.reclaimlab.vm;

import dev.reclaimlab.local.ExclusiveLock;
import dev.reclaimlab.local.HostCommand;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Debian's headers of an arm64 guest kernel, prepared once per release in {@code $LAB_HOME/cache/arm64/headers}:
 * <pre>
 * headers/RELEASE/usr/src/linux-headers-RELEASE/       what make -C points at (its Makefile made relocatable)
 * headers/RELEASE/usr/src/linux-headers-ABI-common/    the headers proper
 * headers/RELEASE/usr/lib/linux-kbuild-X.Y/            fixdep, modpost ... for this machine
 * headers/RELEASE/headers.txt                          release, Debian version, compiler, packages (written last)
 * </pre>
 * The three packages (~14 MB) are downloaded with apt, never installed; they unpack to ~80 MB. A set is unpacked in
 * a temporary folder and renamed into place under a lock, and the {@code .deb} files are deleted once unpacked.
 */
public final class KernelHeaders {
    private static final Duration UNPACK = Duration.ofMinutes(5);
    /** Only these parts of the packages are used; the rest (docs, absolute /lib/modules links) is left out. */
    private static final List<String> KEPT = List.of("usr/src", "usr/lib");

    private final Path root;
    private final Consumer<String> progress;

    public KernelHeaders(LabHome home, Consumer<String> progress) {
        this.root = home.cache().resolve("headers");
        this.progress = progress;
    }

    /**
     * The build tree of {@code release} (as {@code uname -r} prints it in the guest, e.g. {@code 6.1.0-56-arm64}),
     * downloaded and unpacked first if the cache does not have it. Also checks that this machine has make and the
     * compiler the headers ask for, so a build does not fail on a missing tool.
     */
    @SuppressWarnings("try") // the lock is held for the block's duration, never used inside it
    public KernelBuildTree prepare(String release) throws IOException, VmException {
        if (KernelCatalog.abiOf(release).isEmpty()) {
            throw new VmException(VmException.Kind.BAD_INPUT, "not the release of a Debian arm64 kernel: " + release
                    + " (expected what uname -r prints in the guest, such as 6.1.0-56-arm64)");
        }
        requireUsablePath(root);
        Path target = root.resolve(release);
        Optional<KernelBuildTree> tree = KernelBuildTree.load(target);
        if (tree.isEmpty()) {
            HostTools.requireCrossBuild();
            try (ExclusiveLock lock = ExclusiveLock.acquire(root.resolve(".lock"),
                    () -> progress.accept("waiting for another lab process that is preparing kernel headers ..."))) {
                tree = KernelBuildTree.load(target);
                if (tree.isEmpty()) {
                    tree = Optional.of(build(release, target));
                }
            }
        }
        requireCompiler(tree.get());
        return tree.get();
    }

    /**
     * Fails with what to install when this machine cannot cross-build modules: make, the arm64 cross compiler, dpkg
     * and apt, and the arm64 package lists.
     */
    public static void requireHostTools() throws IOException, VmException {
        HostTools.requireCrossBuild();
    }

    private KernelBuildTree build(String release, Path target) throws IOException, VmException {
        long started = System.nanoTime();
        // Whatever is in .tmp/ was left by a build that was killed (only lock holders write there).
        Trees.delete(root.resolve(".tmp"));
        Files.createDirectories(root.resolve(".tmp"));
        Path staging = Files.createTempDirectory(root.resolve(".tmp"), release + "-");
        try {
            HeaderPackages packages = HeaderPackages.resolve(release);
            progress.accept("downloading " + String.join(", ", packages.specs().stream().map(Apt::packageName).toList())
                    + " (Debian " + packages.version() + ") ...");
            List<Path> debs = Apt.download(packages.specs(), staging.resolve("debs"));
            long bytes = 0;
            Path unpacked = staging.resolve("tree");
            List<String> names = new ArrayList<>();
            for (Path deb : debs) {
                bytes += Files.size(deb);
                names.add(deb.getFileName().toString());
                HostCommand.check(List.of("dpkg-deb", "-x", deb.toString(), unpacked.toString()), UNPACK);
            }
            Trees.delete(staging.resolve("debs")); // ~14 MB that the unpacked tree makes useless
            Path partial = staging.resolve("kept");
            for (String part : KEPT) {
                if (Files.isDirectory(unpacked.resolve(part))) {
                    Files.createDirectories(partial.resolve(part).getParent());
                    Files.move(unpacked.resolve(part), partial.resolve(part));
                }
            }
            Path dir = partial.resolve("usr/src/linux-headers-" + release);
            Path makefile = dir.resolve("Makefile");
            if (!Files.isRegularFile(makefile)) {
                throw new VmException(VmException.Kind.FAILED, packages.headers() + " has no usr/src/linux-headers-"
                        + release + "/Makefile");
            }
            String relocated = KernelBuildTree.relocate(Files.readString(makefile));
            if (KernelBuildTree.pointsOutside(relocated)) {
                throw new VmException(VmException.Kind.FAILED, "the Makefile of " + packages.headers()
                        + " includes a path lab cannot point into the cache:\n" + relocated.strip());
            }
            Trees.write(makefile, relocated.getBytes(StandardCharsets.UTF_8));
            Path variables = dir.resolve(".kernelvariables");
            String compiler = KernelBuildTree.compilerOf(
                    Files.isRegularFile(variables) ? Files.readString(variables) : "");
            KernelBuildTree built = new KernelBuildTree(partial, release, packages.version(), compiler);
            built.writeRecord(String.join(",", names));
            Trees.delete(target);
            Files.move(partial, target);
            progress.accept(String.format("prepared the headers of %s (Debian %s, %d MB downloaded) in %.1fs", release,
                    packages.version(), bytes >> 20, GuestCache.seconds(started)));
            return KernelBuildTree.load(target).orElseThrow();
        } finally {
            Trees.delete(staging);
        }
    }

    private static void requireCompiler(KernelBuildTree tree) throws VmException {
        List<HostTools.Missing> missing = new ArrayList<>();
        if (HostCommand.which("make").isEmpty()) {
            missing.add(new HostTools.Missing("make", "make", null));
        }
        if (HostCommand.which(tree.compiler()).isEmpty()) {
            // aarch64-linux-gnu-gcc-12 is in gcc-12-aarch64-linux-gnu; the unversioned name in gcc-aarch64-linux-gnu
            String version = tree.compiler().substring(KernelBuildTree.CROSS_COMPILE.length());
            missing.add(new HostTools.Missing(tree.compiler() + ", the compiler kernel " + tree.release()
                    + " was built with", version + "-aarch64-linux-gnu", null));
        }
        if (tree.needsPahole() && HostCommand.which("pahole").isEmpty()) {
            missing.add(new HostTools.Missing("pahole, which writes the BTF of modules for kernel " + tree.release(),
                    "dwarves", null));
        }
        HostTools.report("building kernel modules for " + tree.release() + " needs what this machine lacks:", missing);
    }

    /** Kbuild refuses folders with spaces or colons (make splits words on them); say so before downloading. */
    static void requireUsablePath(Path dir) throws VmException {
        String path = dir.toAbsolutePath().toString();
        if (path.chars().anyMatch(c -> Character.isWhitespace(c) || c == ':' || c == '#' || c == '$')) {
            throw new VmException(VmException.Kind.BAD_INPUT, "the kernel build cannot work in " + path
                    + " (make cannot handle spaces, ':', '#' or '$' in paths); set LAB_HOME to a plain path");
        }
    }
}
