package dev.reclaimlab.loader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What grub.sh's {@code lab_grub_probe} found on a host: where GRUB keeps its configuration, its tools, whether its
 * grub.cfg boots {@code next_entry} once and reads custom.cfg, how GRUB names /boot's files, and an installed kernel.
 */
record GrubProbe(Map<String, String> values) {
    /** A path lab passes to grub.sh unquoted in its journal: no blanks or specials. */
    private static final Pattern PLAIN_PATH = Pattern.compile("/[A-Za-z0-9_.+~/-]*");
    private static final Pattern UUID = Pattern.compile("[A-Za-z0-9-]{1,64}");

    GrubProbe {
        values = Map.copyOf(values);
    }

    static GrubProbe parse(String output) {
        return new GrubProbe(keyValues(output));
    }

    /** {@code key=value} lines as grub.sh prints them and lab's record holds them, values stripped, in order. */
    static Map<String, String> keyValues(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    private Optional<String> value(String key) {
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isEmpty());
    }

    Optional<String> grubDir() {
        return value("grubdir").filter(d -> PLAIN_PATH.matcher(d).matches());
    }

    Optional<String> rebootTool() {
        return value("reboot_tool");
    }

    Optional<String> editenv() {
        return value("editenv");
    }

    boolean bootsOnce() {
        return "yes".equals(values.get("one_time"));
    }

    boolean readsCustomCfg() {
        return "yes".equals(values.get("custom"));
    }

    /** What GRUB puts before a path under /boot: empty when /boot is a file system of its own, else {@code /boot}. */
    String bootPrefix() {
        return values.getOrDefault("boot_prefix", "/boot");
    }

    Optional<String> bootUuid() {
        return value("boot_uuid").filter(u -> UUID.matcher(u).matches());
    }

    String bootFs() {
        return values.getOrDefault("boot_fs", "");
    }

    Optional<String> kernelFile() {
        return value("kernel").filter(k -> PLAIN_PATH.matcher(k).matches());
    }

    Optional<String> initrdFile() {
        return value("initrd").filter(k -> PLAIN_PATH.matcher(k).matches());
    }

    /** The host's kexec program, for the kexec method. */
    Optional<String> kexec() {
        return value("kexec").filter(k -> PLAIN_PATH.matcher(k).matches());
    }

    /** The host's efibootmgr, for the efi method. */
    Optional<String> efibootmgr() {
        return value("efibootmgr").filter(k -> PLAIN_PATH.matcher(k).matches());
    }

    /** Where the EFI system partition is mounted ({@code /boot/efi}). */
    Optional<String> esp() {
        return value("esp").filter(k -> PLAIN_PATH.matcher(k).matches());
    }

    /** The disk that holds the EFI system partition ({@code /dev/sda}). */
    Optional<String> espDisk() {
        return value("esp_disk").filter(k -> PLAIN_PATH.matcher(k).matches() && !k.equals("/dev/"));
    }

    /** The EFI system partition's number on its disk. */
    Optional<String> espPartition() {
        return value("esp_part").filter(k -> k.matches("[0-9]{1,3}"));
    }

    /** Why lab cannot boot a kernel once this way on this host, or empty when it can. */
    Optional<String> unusableFor(LoaderBootMethod.Once once) {
        return switch (once) {
            case GRUB -> unusable();
            case KEXEC -> kexec().isPresent() ? Optional.empty() : Optional.of("no kexec program (Debian: kexec-tools)");
            case EFI -> unusableForEfi();
        };
    }

    private Optional<String> unusableForEfi() {
        if (efibootmgr().isEmpty()) {
            return Optional.of("no efibootmgr program (Debian: efibootmgr)");
        }
        if (!"yes".equals(values.get("efivars"))) {
            return Optional.of("no UEFI variables in /sys/firmware/efi/efivars (not booted through UEFI, or efivarfs "
                    + "not mounted)");
        }
        if (esp().isEmpty() || espDisk().isEmpty() || espPartition().isEmpty()) {
            return Optional.of("no EFI system partition mounted (a vfat file system at /boot/efi, /efi or /boot)");
        }
        return Optional.empty();
    }

    List<String> installed() {
        return new ArrayList<>(Arrays.stream(values.getOrDefault("installed", "").split("\\s+"))
                .filter(s -> !s.isEmpty()).toList());
    }

    /**
     * Why GRUB cannot boot an entry of lab's once on this host, or empty when it can: GRUB must be there with its
     * tools, and its grub.cfg must boot {@code next_entry} once and read custom.cfg (what update-grub writes).
     */
    Optional<String> unusable() {
        if (grubDir().isEmpty()) {
            return Optional.of("no GRUB configuration (/boot/grub/grub.cfg or /boot/grub2/grub.cfg)");
        }
        if (rebootTool().isEmpty() || editenv().isEmpty()) {
            return Optional.of("no grub-reboot/grub2-reboot and grub-editenv (Debian: grub2-common, grub-common)");
        }
        if (!bootsOnce()) {
            return Optional.of(grubDir().get() + "/grub.cfg does not boot next_entry once (was it written by "
                    + "update-grub or grub2-mkconfig?)");
        }
        if (!readsCustomCfg()) {
            return Optional.of(grubDir().get() + "/grub.cfg does not read custom.cfg, where lab adds its entries "
                    + "(update-grub's 41_custom writes that part)");
        }
        return Optional.empty();
    }
}
