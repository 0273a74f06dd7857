package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The system disk of a VM that boots like a server: a GPT disk with an EFI system partition (GRUB, and the small
 * grub.cfg that finds the boot partition) and an ext4 boot partition (kernels, initrds, grub.cfg, grubenv), which the
 * guest mounts at /boot. Made once, without mounting anything: sfdisk writes the partition table, mkfs.vfat and
 * mtools the ESP, mkfs.ext4 fills the boot partition from a folder.
 */
final class SystemDisk {
    private static final long MIB = 1 << 20;
    private static final long ESP_START_MIB = 1;
    /** Room for GRUB and one candidate the efi boot method puts there (an arm64 Image is ~45 MB, its initrd ~10). */
    private static final long ESP_MIB = 256;
    private static final long BOOT_START_MIB = ESP_START_MIB + ESP_MIB;
    private static final Duration TOOL = Duration.ofMinutes(5);

    private SystemDisk() {}

    /**
     * Writes {@code image}: {@code grubImage} as the firmware's removable-media boot program, and {@code bootTree}
     * (whose top level becomes the boot partition's root) on an ext4 file system of {@code bootMib} labelled
     * {@code lab-boot} with {@code bootUuid}.
     */
    static void make(Path image, Path grubImage, Path bootTree, String bootUuid, long bootMib) throws IOException {
        Path partial = image.resolveSibling("." + image.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        long totalMib = BOOT_START_MIB + bootMib + 1; // the last MiB keeps GPT's backup header clear of the partition
        try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
            f.setLength(totalMib * MIB); // sparse
        }
        String table = "label: gpt\n"
                + "start=" + ESP_START_MIB * 2048 + ", size=" + ESP_MIB * 2048
                + ", type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name=\"EFI system\"\n"
                + "start=" + BOOT_START_MIB * 2048 + ", size=" + bootMib * 2048
                + ", type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=\"boot\"\n";
        Path script = partial.resolveSibling("." + image.getFileName() + ".sfdisk");
        Files.writeString(script, table);
        try {
            HostCommand.check(List.of("sh", "-c", "sfdisk --quiet --no-reread --no-tell-kernel \"$1\" < \"$2\"", "sh",
                    partial.toString(), script.toString()), TOOL);
        } finally {
            Files.deleteIfExists(script);
        }
        String esp = partial + "@@" + ESP_START_MIB * MIB;
        HostCommand.check(List.of("mkfs.vfat", "-F", "16", "-n", "EFI", "--offset", Long.toString(ESP_START_MIB * 2048),
                partial.toString(), Long.toString(ESP_MIB * 1024)), TOOL);
        for (String dir : List.of("::/EFI", "::/EFI/BOOT", "::/EFI/debian")) {
            HostCommand.check(List.of("mmd", "-i", esp, dir), TOOL);
        }
        HostCommand.check(List.of("mcopy", "-i", esp, grubImage.toString(), "::/EFI/BOOT/BOOTAA64.EFI"), TOOL);
        Path stub = partial.resolveSibling("." + image.getFileName() + ".grub.cfg");
        Files.writeString(stub, GrubConfig.espStub(bootUuid), StandardCharsets.US_ASCII);
        try {
            HostCommand.check(List.of("mcopy", "-i", esp, stub.toString(), "::/EFI/debian/grub.cfg"), TOOL);
        } finally {
            Files.deleteIfExists(stub);
        }
        HostCommand.check(List.of("mkfs.ext4", "-q", "-F", "-L", "lab-boot", "-U", bootUuid, "-m", "0",
                "-E", "offset=" + BOOT_START_MIB * MIB + ",lazy_itable_init=0,lazy_journal_init=0,nodiscard",
                "-d", bootTree.toString(), partial.toString(), bootMib + "M"), TOOL);
        Trees.moveIntoPlace(partial, image);
    }
}
