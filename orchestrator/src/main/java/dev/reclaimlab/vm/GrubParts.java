package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
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
 * What a VM needs to boot the way a real arm64 server does, through UEFI firmware and GRUB from its own disk, all from
 * Debian's packages: the firmware ({@code qemu-efi-aarch64}), Debian's signed GRUB image (the one a real server's shim
 * loads, with its built-in search for {@code /EFI/debian/grub.cfg}), and GRUB's own tools for the guest
 * ({@code grub-reboot}, {@code grub-editenv}, {@code grub-probe}), kexec and {@code efibootmgr} with their libraries,
 * as an initramfs layer. Kept under {@code cache/arm64/grub/<digest of the packages and programs>}:
 * <pre>
 * AAVMF_CODE.fd      the firmware, as QEMU's first (read-only) flash
 * AAVMF_VARS.fd      an empty UEFI variable store: each VM gets a copy as its second flash, so boot entries and
 *                    BootNext persist across reboots and power cycles as in a server's NVRAM
 * grubaa64.efi       GRUB, as the firmware's removable-media boot path loads it
 * tools.cpio.gz      the guest's boot tools layer
 * </pre>
 */
record GrubParts(Path firmware, Path firmwareVars, Path grubImage, Path toolsLayer) {
    static final List<String> PACKAGES = List.of("qemu-efi-aarch64", "grub-efi-arm64-signed:arm64",
            "grub-common:arm64", "grub2-common:arm64", "libc6:arm64", "libdevmapper1.02.1:arm64", "libselinux1:arm64",
            "libudev1:arm64", "libpcre2-8-0:arm64", "liblzma5:arm64",
            // kexec, for the kexec boot method: Debian builds it with Xen support, so it needs Xen's small libraries
            "kexec-tools:arm64", "zlib1g:arm64", "libxenmisc4.17:arm64", "libxentoollog1:arm64", "libxencall1:arm64",
            "libxenevtchn1:arm64", "libxengnttab1:arm64", "libxenforeignmemory1:arm64", "libxendevicemodel1:arm64",
            "libxentoolcore1:arm64",
            // efibootmgr, for the efi boot method
            "efibootmgr:arm64", "libefiboot1:arm64", "libefivar1:arm64", "libpopt0:arm64");
    /** The programs a host's boot control uses (GRUB's, kexec, efibootmgr). */
    private static final List<String> PROGRAMS = List.of("usr/bin/grub-editenv", "usr/sbin/grub-probe", "sbin/kexec",
            "bin/efibootmgr");
    private static final List<String> SCRIPTS = List.of("usr/sbin/grub-reboot", "usr/sbin/grub-set-default");
    private static final String SCRIPT_LIBRARY = "usr/share/grub/grub-mkconfig_lib";

    /** Names the cache folder, so that a lab that needs other packages or programs prepares the parts again. */
    static String digest() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.join("\n", PACKAGES).getBytes(StandardCharsets.UTF_8));
            sha.update(String.join("\n", PROGRAMS).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static GrubParts in(Path dir) {
        return new GrubParts(dir.resolve("AAVMF_CODE.fd"), dir.resolve("AAVMF_VARS.fd"), dir.resolve("grubaa64.efi"),
                dir.resolve("tools.cpio.gz"));
    }

    boolean complete() {
        return Files.isRegularFile(firmware) && Files.isRegularFile(firmwareVars) && Files.isRegularFile(grubImage)
                && Files.isRegularFile(toolsLayer);
    }

    /** Unpacks the downloaded {@link #PACKAGES} into {@code staging} and writes the three parts. */
    void build(List<Path> debs, Path staging) throws IOException, VmException {
        for (Path deb : debs) {
            HostCommand.check(List.of("dpkg-deb", "-x", deb.toString(), staging.toString()), Duration.ofMinutes(5));
        }
        Files.copy(GuestUserland.firstExisting(staging, "usr/share/AAVMF/AAVMF_CODE.fd"), firmware);
        Files.copy(GuestUserland.firstExisting(staging, "usr/share/AAVMF/AAVMF_VARS.fd"), firmwareVars);
        Files.copy(GuestUserland.firstExisting(staging, "usr/lib/grub/arm64-efi-signed/grubaa64.efi.signed"),
                grubImage);
        List<Path> programs = PROGRAMS.stream().map(staging::resolve).toList();
        for (String p : PROGRAMS) {
            GuestUserland.firstExisting(staging, p);
        }
        Map<String, Path> libraries = SharedLibraries.closure(staging, programs, PACKAGES);
        try (OutputStream file = Files.newOutputStream(toolsLayer); Cpio cpio = Cpio.gzip(file)) {
            for (String dir : List.of("/usr", "/usr/bin", "/usr/sbin", "/usr/share", "/usr/share/grub",
                    SharedLibraries.GUEST_DIR)) {
                cpio.dir(dir, 0755);
            }
            for (String p : PROGRAMS) {
                cpio.file("/" + p, 0755, Files.readAllBytes(staging.resolve(p)));
            }
            for (String p : SCRIPTS) {
                cpio.file("/" + p, 0755, Files.readAllBytes(GuestUserland.firstExisting(staging, p)));
            }
            cpio.file("/" + SCRIPT_LIBRARY, 0644, Files.readAllBytes(GuestUserland.firstExisting(staging,
                    SCRIPT_LIBRARY)));
            for (Map.Entry<String, Path> lib : libraries.entrySet()) {
                cpio.file(SharedLibraries.GUEST_DIR + "/" + lib.getKey(), 0755, Files.readAllBytes(lib.getValue()));
            }
        }
    }
}
