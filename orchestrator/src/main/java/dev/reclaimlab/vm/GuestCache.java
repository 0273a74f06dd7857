package dev.reclaimlab.vm;

import dev.reclaimlab.local.ExclusiveLock;
import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The prepared guest parts every VM shares, under {@code $LAB_HOME/cache/arm64}:
 * <pre>
 * userland/DIGEST/userland.cpio.gz   busybox, dropbear and its libraries, boot script (one for all kernels;
 *                             DIGEST is of lab's own files in it, so a lab with a new boot script builds it anew)
 * kernels/ABI/                vmlinuz, config, modules.cpio.gz, kernel.txt (one per kernel ABI)
 * debs/                       the userland's .deb files (the kernel's .deb is dropped once prepared)
 * grub/                       UEFI firmware, GRUB and GRUB's tools, for VMs that boot like a server ({@link GrubParts})
 * </pre>
 * A part is built once and then reused; it is built in a temporary folder and renamed into place, and a lock file
 * keeps two {@code lab vm up} from building the same part at once.
 */
final class GuestCache {
    private final Path root;
    private final Consumer<String> progress;

    GuestCache(Path root, Consumer<String> progress) {
        this.root = root;
        this.progress = progress;
    }

    /** ABIs prepared earlier, newest first. */
    List<String> kernels() throws IOException {
        Path dir = root.resolve("kernels");
        List<String> abis = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path p : entries.toList()) {
                    if (!p.getFileName().toString().startsWith(".") && GuestKernel.load(p).isPresent()) {
                        abis.add(p.getFileName().toString());
                    }
                }
            }
        }
        abis.sort(KernelCatalog.NEWEST_FIRST.reversed());
        return abis;
    }

    Optional<GuestKernel> cachedKernel(String abi) throws IOException {
        return GuestKernel.load(root.resolve("kernels").resolve(abi));
    }

    /** What a boot needs from the cache. */
    record Parts(Path userland, GuestKernel kernel) {}

    /**
     * The userland layer and the kernel {@code abi}, each built first if the cache does not have it yet; whatever
     * must be downloaded is downloaded in one apt call.
     */
    @SuppressWarnings("try") // the lock is held for the block's duration, never used inside it
    Parts prepare(String abi) throws IOException, VmException {
        Path userland = root.resolve("userland").resolve(GuestUserland.digest()).resolve("userland.cpio.gz");
        Optional<GuestKernel> kernel = cachedKernel(abi);
        if (Files.isRegularFile(userland) && kernel.isPresent()) {
            return new Parts(userland, kernel.get());
        }
        try (ExclusiveLock lock = lock()) {
            // Whatever is in tmp/ was left by a build that was killed (only lock holders write there).
            Trees.delete(root.resolve("tmp"));
            kernel = cachedKernel(abi);
            boolean needUserland = !Files.isRegularFile(userland);
            List<String> packages = new ArrayList<>();
            if (needUserland) {
                GuestUserland.PACKAGES.forEach(p -> packages.add(p + ":arm64"));
            }
            if (kernel.isEmpty()) {
                packages.add(KernelCatalog.imagePackage(abi));
            }
            if (packages.isEmpty()) {
                return new Parts(userland, kernel.orElseThrow());
            }
            long started = System.nanoTime();
            Path downloads = temp("debs-");
            try {
                List<Path> debs = Apt.download(packages, downloads);
                long bytes = 0;
                for (Path deb : debs) {
                    bytes += Files.size(deb);
                }
                progress.accept(String.format("downloaded %d Debian arm64 package%s (%d MB) in %.1fs", debs.size(),
                        debs.size() == 1 ? "" : "s", bytes >> 20, seconds(started)));
                if (needUserland) {
                    buildUserland(debs.subList(0, GuestUserland.PACKAGES.size()), userland);
                }
                if (kernel.isEmpty()) {
                    kernel = Optional.of(buildKernel(abi, debs.get(debs.size() - 1)));
                }
            } finally {
                Trees.delete(downloads);
            }
            return new Parts(userland, kernel.orElseThrow());
        }
    }

    /**
     * The firmware, GRUB image and guest GRUB tools of a VM that boots like a real server ({@link GrubParts}), built
     * first if the cache does not have them yet.
     */
    @SuppressWarnings("try") // the lock is held for the block's duration, never used inside it
    GrubParts prepareGrub() throws IOException, VmException {
        Path dir = root.resolve("grub").resolve(GrubParts.digest());
        GrubParts parts = GrubParts.in(dir);
        if (parts.complete()) {
            return parts;
        }
        try (ExclusiveLock lock = lock()) {
            Trees.delete(root.resolve("tmp"));
            if (parts.complete()) {
                return parts;
            }
            long started = System.nanoTime();
            Path downloads = temp("debs-");
            Path staging = temp("grub-");
            Path partial = root.resolve(".grub.partial");
            try {
                List<Path> debs = Apt.download(GrubParts.PACKAGES, downloads);
                Trees.delete(partial);
                Files.createDirectories(partial);
                GrubParts.in(partial).build(debs, staging);
                Trees.delete(dir);
                Files.createDirectories(dir.getParent());
                Files.move(partial, dir);
            } finally {
                Trees.delete(downloads);
                Trees.delete(staging);
                Trees.delete(partial);
            }
            progress.accept(String.format("prepared UEFI firmware and GRUB (Debian's qemu-efi-aarch64, "
                    + "grub-efi-arm64-signed, grub-common) in %.1fs", seconds(started)));
            return parts;
        }
    }

    private void buildUserland(List<Path> debs, Path layer) throws IOException, VmException {
        long started = System.nanoTime();
        Path staging = temp("userland-");
        Path partial = layer.resolveSibling(".userland.cpio.gz.partial");
        try {
            Files.createDirectories(layer.getParent());
            GuestUserland.build(debs, staging, partial);
            // layers of earlier labs' files: initrds copy the layer, so no VM needs them
            try (Stream<Path> old = Files.list(layer.getParent().getParent())) {
                for (Path p : old.filter(p -> !p.equals(layer.getParent())).toList()) {
                    Trees.delete(p);
                }
            }
            StringBuilder record = new StringBuilder();
            debs.forEach(d -> record.append(d.getFileName()).append('\n'));
            Files.writeString(layer.resolveSibling("packages.txt"), record);
            // the userland's packages are small: keep them, so the layer can be rebuilt without the network
            Path kept = root.resolve("debs");
            Files.createDirectories(kept);
            for (Path deb : debs) {
                Files.copy(deb, kept.resolve(deb.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            Trees.moveIntoPlace(partial, layer);
        } finally {
            Trees.delete(staging);
            Files.deleteIfExists(partial);
        }
        progress.accept(String.format("built the guest userland (busybox, dropbear) in %.1fs", seconds(started)));
    }

    private GuestKernel buildKernel(String abi, Path deb) throws IOException, VmException {
        long started = System.nanoTime();
        Path staging = temp("kernel-");
        Path partial = root.resolve("kernels").resolve("." + abi + ".partial");
        try {
            Trees.delete(partial);
            GuestKernel built = GuestKernel.build(abi, deb, staging, partial);
            Path target = root.resolve("kernels").resolve(abi);
            Trees.delete(target);
            Files.move(partial, target);
            progress.accept(String.format("prepared kernel %s (%s, Debian %s) in %.1fs", abi, built.release(),
                    built.version(), seconds(started)));
            return GuestKernel.load(target).orElseThrow();
        } finally {
            Trees.delete(staging);
            Trees.delete(partial);
        }
    }

    private Path temp(String prefix) throws IOException {
        Path tmp = root.resolve("tmp");
        Files.createDirectories(tmp);
        return Files.createTempDirectory(tmp, prefix);
    }

    /** An exclusive lock on the cache, held while a part is built. */
    private ExclusiveLock lock() throws IOException {
        return ExclusiveLock.acquire(root.resolve(".lock"),
                () -> progress.accept("waiting for another lab vm up that is preparing the cache ..."));
    }

    static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
