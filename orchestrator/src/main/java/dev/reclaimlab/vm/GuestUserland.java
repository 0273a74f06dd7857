package dev.reclaimlab.vm;

import dev.reclaimlab.elf.Elf;
import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private static final List<String> LIBRARY_DIRS = List.of("lib/aarch64-linux-gnu", "usr/lib/aarch64-linux-gnu",
            "lib", "usr/lib");
    private static final String GUEST_LIB = "/lib/aarch64-linux-gnu";

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
        Map<String, Path> libraries = libraryClosure(staging, dropbear);
        String interpreter = Elf.parse(Files.readAllBytes(dropbear), "dropbear").interpreter()
                .orElseThrow(() -> new VmException(VmException.Kind.FAILED, "dropbear has no ELF interpreter"));

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

    /** Every library {@code program} needs, transitively, by soname, found in the unpacked packages. */
    private static Map<String, Path> libraryClosure(Path staging, Path program) throws IOException, VmException {
        Map<String, Path> found = new LinkedHashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        List<Path> queue = new ArrayList<>(List.of(program));
        while (!queue.isEmpty()) {
            Path next = queue.remove(0);
            for (String soname : Elf.parse(Files.readAllBytes(next), next.getFileName().toString()).needed()) {
                if (found.containsKey(soname) || missing.contains(soname)) {
                    continue;
                }
                Path lib = null;
                for (String dir : LIBRARY_DIRS) {
                    Path candidate = staging.resolve(dir).resolve(soname);
                    if (Files.exists(candidate)) {
                        lib = candidate.toRealPath();
                        break;
                    }
                }
                if (lib == null) {
                    missing.add(soname);
                } else {
                    found.put(soname, lib);
                    queue.add(lib);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new VmException(VmException.Kind.FAILED, "dropbear needs " + String.join(", ", missing)
                    + ", which none of the packages " + PACKAGES + " provides (did Debian rename a library package?)");
        }
        return found;
    }

    private static Path firstExisting(Path root, String... candidates) throws VmException {
        for (String c : candidates) {
            if (Files.isRegularFile(root.resolve(c))) {
                return root.resolve(c);
            }
        }
        throw new VmException(VmException.Kind.FAILED, "the unpacked packages have no " + String.join(" or ", candidates));
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
