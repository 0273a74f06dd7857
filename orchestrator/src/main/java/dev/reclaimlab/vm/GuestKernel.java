package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One Debian arm64 kernel prepared for booting: the kernel image, its config, and an initramfs layer with the few
 * modules the guest needs. Unpacking the whole package takes a few seconds and ~350 MB; only ~35 MB are kept.
 *
 * @param dir      {@code cache/arm64/kernels/ABI}
 * @param abi      e.g. {@code 6.1.0-56}
 * @param release  what {@code uname -r} says in the guest, e.g. {@code 6.1.0-56-arm64}
 * @param version  the Debian package version it came from, e.g. {@code 6.1.192-2}
 */
record GuestKernel(Path dir, String abi, String release, String version) {
    static final String IMAGE = "vmlinuz";
    static final String CONFIG = "config";
    static final String MODULES = "modules.cpio.gz";
    static final String RECORD = "kernel.txt";
    /**
     * What the prepared kernel's parts hold, by version: a kernel prepared by a lab that picked other modules is
     * prepared again (2: the EFI system partition's and efivarfs' modules).
     */
    static final String LAYOUT = "2";

    Path image() {
        return dir.resolve(IMAGE);
    }

    Path modules() {
        return dir.resolve(MODULES);
    }

    /** A kernel prepared earlier, if {@code dir} holds a complete one. */
    static java.util.Optional<GuestKernel> load(Path dir) throws IOException {
        Path record = dir.resolve(RECORD);
        if (!Files.isRegularFile(record) || !Files.isRegularFile(dir.resolve(IMAGE))
                || !Files.isRegularFile(dir.resolve(MODULES))) {
            return java.util.Optional.empty();
        }
        String abi = "", release = "", version = "", layout = "";
        for (String line : Files.readAllLines(record)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                switch (line.substring(0, eq)) {
                    case "abi" -> abi = line.substring(eq + 1);
                    case "release" -> release = line.substring(eq + 1);
                    case "version" -> version = line.substring(eq + 1);
                    case "layout" -> layout = line.substring(eq + 1);
                    default -> { }
                }
            }
        }
        if (!layout.equals(LAYOUT)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new GuestKernel(dir, abi, release, version));
    }

    /**
     * Unpacks {@code deb} (a {@code linux-image-ABI-arm64-unsigned} package) in {@code staging} and writes the prepared
     * kernel to {@code target}, which must not exist yet.
     */
    static GuestKernel build(String abi, Path deb, Path staging, Path target) throws IOException, VmException {
        HostCommand.check(List.of("dpkg-deb", "-x", deb.toString(), staging.toString()), Duration.ofMinutes(10));
        String version = HostCommand.check(List.of("dpkg-deb", "-f", deb.toString(), "Version"), Duration.ofMinutes(1))
                .stdout().strip();
        Path image = only(staging.resolve("boot"), "vmlinuz-*", deb);
        String release = image.getFileName().toString().substring("vmlinuz-".length());
        Path modules = null;
        for (String base : List.of("lib/modules", "usr/lib/modules")) {
            if (Files.isDirectory(staging.resolve(base).resolve(release))) {
                modules = staging.resolve(base).resolve(release);
            }
        }
        if (modules == null) {
            throw new VmException(VmException.Kind.FAILED, deb.getFileName() + " has no modules folder for " + release);
        }
        List<KernelModules.Module> picked = KernelModules.resolve(modules, KernelModules.REQUIRED, KernelModules.OPTIONAL);

        Files.createDirectories(target);
        Files.copy(image, target.resolve(IMAGE));
        Path config = staging.resolve("boot").resolve("config-" + release);
        if (Files.exists(config)) {
            Files.copy(config, target.resolve(CONFIG));
        }
        List<String> order = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(target.resolve(MODULES)); Cpio cpio = Cpio.gzip(out)) {
            for (KernelModules.Module m : picked) {
                cpio.file("/lib/modules/lab/" + m.name() + ".ko", 0644, m.bytes());
                order.add(m.name());
            }
            cpio.file("/lib/modules/lab/order", 0644, (String.join("\n", order) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(target.resolve(RECORD), "layout=" + LAYOUT + "\nabi=" + abi + "\nrelease=" + release + "\nversion=" + version
                + "\nmodules=" + String.join(",", order) + "\n");
        return new GuestKernel(target, abi, release, version);
    }

    private static Path only(Path dir, String glob, Path deb) throws IOException, VmException {
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, glob)) {
                for (Path p : found) {
                    return p;
                }
            }
        }
        throw new VmException(VmException.Kind.FAILED, deb.getFileName() + " has no /boot/" + glob);
    }
}
