package dev.reclaimlab.loader;

import dev.reclaimlab.boot.BootException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Where a boot method gets a kernel the host does not have, named as a package ({@code 6.12}, {@code 6.1.0-44},
 * {@code linux-image-6.12.57+deb13-arm64}, a {@code .deb} or {@code .rpm} file): either a kernel folder made on this
 * machine, which the method installs like any {@link KernelFolder} (a lab vm GRUB VM's, from lab vm's cache), or the
 * package file itself, which the host unpacks and installs with its own tools (a server's).
 */
@FunctionalInterface
public interface KernelPackages {
    /**
     * Writes into the empty folder {@code into} either {@code kernel}'s {@code vmlinuz}, {@code initrd.img} and
     * {@code release}, or one {@code .deb} or {@code .rpm} file holding it.
     *
     * @param machine the host's {@code uname -m} ({@code aarch64}), for a package of its architecture
     * @throws BootException REFUSED when no package is known by that name
     */
    void make(String kernel, String machine, Path into, Consumer<String> progress) throws IOException, BootException;

    /** The package file {@link #make} left in {@code folder}; empty when it made a kernel folder. */
    static Optional<Path> packageFile(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".deb") || name.endsWith(".rpm");
            }).findFirst();
        }
    }
}
