package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The guest's userland, the same for every kernel: busybox (shell, init, every tool the lab's steps call), the dropbear
 * SSH server with exactly the shared libraries it needs, the boot script and a minimal /etc. Built from Debian's arm64
 * packages into one initramfs layer.
 */
final class GuestUserland {
    /** The programs the guest runs: static busybox, and dropbear with the libraries its ELF header asks for. */
    static final List<String> PACKAGES = List.of("busybox-static", "dropbear-bin", "libc6", "libcrypt1",
            "libtomcrypt1", "libtommath1", "libgmp10", "zlib1g");
    static final String DROPBEAR = "/usr/sbin/dropbear";
    private static final String GUEST_LIB = SharedLibraries.GUEST_DIR;

    private GuestUserland() {}

    /**
     * Unpacks the packages' {@code .deb} files into {@code staging} and writes the layer to {@code out}.
     *
     * @return a line per package ({@code name version}) for the cache's record
     */
    static void build(List<Path> debs, Path staging, Path out) throws IOException, VmException {
        for (Path deb : debs) {
            HostCommand.check(List.of("dpkg-deb", "-x", deb.toString(), staging.toString()), Duration.ofMinutes(5));
        }
        Path busybox = firstExisting(staging, "bin/busybox", "usr/bin/busybox");
        Path dropbear = firstExisting(staging, DROPBEAR.substring(1));
        Map<String, Path> libraries = SharedLibraries.closure(staging, List.of(dropbear), PACKAGES);
        String interpreter = SharedLibraries.interpreter(dropbear);

        try (OutputStream file = Files.newOutputStream(out); Cpio cpio = Cpio.gzip(file)) {
            for (String dir : List.of("/proc", "/sys", "/dev", "/run", "/data", "/sbin", "/usr/bin", "/usr/sbin",
                    "/etc/dropbear", "/var", "/lib/modules/lab")) {
                cpio.dir(dir, 0755);
            }
            cpio.dir("/tmp", 01777);
            cpio.dir("/root", 0700);
            // Without a console node in the archive the kernel starts init with no stdin, stdout or stderr.
            cpio.charDevice("/dev/console", 0600, 5, 1);
            cpio.charDevice("/dev/null", 0666, 1, 3);
            cpio.file("/bin/busybox", 0755, Files.readAllBytes(busybox));
            cpio.symlink("/bin/sh", "busybox");
            cpio.symlink("/init", "/bin/busybox"); // run as "init": busybox init reads /etc/inittab
            cpio.symlink("/var/run", "/run");
            cpio.file(DROPBEAR, 0755, Files.readAllBytes(dropbear));
            for (Map.Entry<String, Path> lib : libraries.entrySet()) {
                cpio.file(GUEST_LIB + "/" + lib.getKey(), 0755, Files.readAllBytes(lib.getValue()));
            }
            String interpreterName = interpreter.substring(interpreter.lastIndexOf('/') + 1);
            if (!interpreter.equals(GUEST_LIB + "/" + interpreterName)) {
                cpio.symlink(interpreter, GUEST_LIB + "/" + interpreterName);
            }
            cpio.file("/etc/inittab", 0644, resource("inittab"));
            cpio.file("/etc/lab/boot", 0755, resource("boot.sh"));
            cpio.file("/etc/passwd", 0644, text("root:x:0:0:root:/root:/bin/sh\n"));
            cpio.file("/etc/group", 0644, text("root:x:0:\ntty:x:5:\n"));
            cpio.file("/etc/shells", 0644, text("/bin/sh\n"));
            // glibc's default without this file would ask libnss_compat, which is not in the guest.
            cpio.file("/etc/nsswitch.conf", 0644, text("passwd: files\ngroup: files\nshadow: files\nhosts: files\n"));
            cpio.file("/etc/hosts", 0644, text("127.0.0.1 localhost\n"));
        }
    }

    static Path firstExisting(Path root, String... candidates) throws VmException {
        for (String c : candidates) {
            if (Files.isRegularFile(root.resolve(c))) {
                return root.resolve(c);
            }
        }
        throw new VmException(VmException.Kind.FAILED, "the unpacked packages have no " + String.join(" or ", candidates));
    }

    /**
     * A digest of what lab itself puts into the layer (the boot script, inittab, the package list): the cache keeps
     * one layer per digest, so a lab whose guest files changed never boots an old layer.
     */
    static String digest() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(resource("inittab"));
            sha.update(resource("boot.sh"));
            sha.update(String.join("\n", PACKAGES).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = GuestUserland.class.getResourceAsStream("/vm/" + name)) {
            if (in == null) {
                throw new IOException("/vm/" + name + " is missing from the lab jar");
            }
            return in.readAllBytes();
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
