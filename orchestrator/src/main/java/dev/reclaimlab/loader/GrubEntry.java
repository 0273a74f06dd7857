package dev.reclaimlab.loader;

import dev.reclaimlab.boot.KernelCmdline;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The GRUB menu entry lab adds to boot a kernel and command line once. Its id is derived from what it boots, so the
 * same boot has the same id on every host and in every message; GRUB finds the file system by UUID where the host
 * has one, else by the kernel's file. Every word of the command line is single-quoted for GRUB's script parser, which would otherwise expand
 * {@code $} and split at {@code ;}.
 *
 * @param grubKernel the kernel as GRUB names it on its file system ({@code /vmlinuz-6.12...} when /boot is its own)
 */
record GrubEntry(String id, String title, Optional<String> uuid, String fsModule, String grubKernel,
                 Optional<String> grubInitrd, String cmdline) {
    static final String ID_PREFIX = "reclaimlab-";

    /** The menu entry's text, as it goes between lab's markers in custom.cfg. */
    String render() {
        StringBuilder s = new StringBuilder();
        s.append("menuentry ").append(quoted(title)).append(" --id ").append(quoted(id)).append(" {\n");
        s.append("\tinsmod part_gpt\n\tinsmod part_msdos\n");
        if (!fsModule.isEmpty()) {
            s.append("\tinsmod ").append(fsModule).append('\n');
        }
        s.append(uuid.map(u -> "\tsearch --no-floppy --fs-uuid --set=root " + quoted(u) + "\n")
                .orElse("\tsearch --no-floppy --file --set=root " + quoted(grubKernel) + "\n"));
        s.append("\tlinux\t").append(quoted(grubKernel));
        for (String word : KernelCmdline.words(cmdline)) {
            s.append(' ').append(quoted(word));
        }
        s.append('\n');
        grubInitrd.ifPresent(i -> s.append("\tinitrd\t").append(quoted(i)).append('\n'));
        s.append("}\n");
        return s.toString();
    }

    /** An id for a boot of {@code release} with {@code cmdline}: the same boot, the same id. */
    static String idFor(String release, String cmdline) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((release + "\n" + cmdline).getBytes(StandardCharsets.UTF_8));
            return ID_PREFIX + HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The GRUB module that reads a Linux file system type as /proc/mounts names it; empty when GRUB has it built in. */
    static String fsModule(String fsType) {
        return switch (fsType) {
            case "ext2", "ext3", "ext4" -> "ext2";
            case "xfs", "btrfs", "f2fs", "zfs" -> fsType;
            case "vfat" -> "fat";
            default -> "";
        };
    }

    /** GRUB script's single quotes: nothing inside is special, and a quote cannot occur in what lab passes. */
    static String quoted(String word) {
        if (word.indexOf('\'') >= 0 || word.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("cannot pass a quote or a line break to GRUB: " + word);
        }
        return "'" + word + "'";
    }

    /** The words GRUB and the EFI stub add to a command line by themselves, which a new entry must not repeat. */
    static boolean addedByLoader(String word) {
        return word.startsWith("BOOT_IMAGE=") || word.startsWith("initrd=");
    }

    static String withoutLoaderWords(String cmdline) {
        List<String> words = KernelCmdline.words(cmdline).stream().filter(w -> !addedByLoader(w)).toList();
        return String.join(" ", words);
    }
}
