package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code lab vm up} needs on this machine: QEMU for arm64, dpkg and apt (the guest is built from Debian's arm64
 * packages), the arm64 architecture enabled in dpkg with its package lists fetched, and mkfs.ext4 for the data disk.
 * Building a kernel module for the guest needs make and the arm64 cross compiler instead of QEMU. Everything missing
 * is reported at once, with the one command line that installs it.
 */
final class HostTools {
    static final String QEMU = "qemu-system-aarch64";
    /** The cross compiler's generic name; the headers ask for a versioned one ({@link KernelBuildTree#compiler()}). */
    static final String CROSS_GCC = KernelBuildTree.CROSS_COMPILE + "gcc";
    private static final String VM_NEEDS = "lab vm needs what this machine lacks:";
    private static final String KMOD_NEEDS =
            "building kernel modules for the arm64 guest needs what this machine lacks:";

    /** One missing thing: what it is, the Debian package that has it (if any), and any extra command to run. */
    record Missing(String what, String aptPackage, String command) {}

    private HostTools() {}

    static List<Missing> missing() throws IOException {
        List<Missing> missing = new ArrayList<>();
        tool(missing, QEMU, "qemu-system-arm");
        tool(missing, "mkfs.ext4", "e2fsprogs");
        tool(missing, "dpkg-deb", "dpkg");
        tool(missing, "apt-get", "apt");
        tool(missing, "apt-cache", "apt");
        tool(missing, "tar", "tar");
        arm64(missing);
        return missing;
    }

    /** What cross-building a module needs: the headers come from Debian's arm64 packages like the guest does. */
    static List<Missing> crossBuildMissing() throws IOException {
        List<Missing> missing = new ArrayList<>();
        tool(missing, "make", "make");
        tool(missing, CROSS_GCC, "gcc-aarch64-linux-gnu");
        tool(missing, "dpkg-deb", "dpkg");
        tool(missing, "apt-get", "apt");
        tool(missing, "apt-cache", "apt");
        arm64(missing);
        return missing;
    }

    private static void arm64(List<Missing> missing) throws IOException {
        if (HostCommand.which("dpkg").isPresent()) {
            HostCommand.Result arches = HostCommand.run(List.of("dpkg", "--print-foreign-architectures"),
                    Duration.ofSeconds(30));
            if (!arches.stdout().lines().map(String::strip).toList().contains("arm64")) {
                missing.add(new Missing("the arm64 architecture in dpkg (the guest is made of Debian's arm64 "
                        + "packages, which are downloaded, never installed)", null,
                        "dpkg --add-architecture arm64 && apt-get update"));
            }
        }
    }

    /** Throws with every missing thing and how to get it all; does nothing when nothing is missing. */
    static void require() throws VmException, IOException {
        report(missing());
    }

    /** What a GRUB VM's system disk is made with (partition table, EFI system partition), besides {@link #require}. */
    static void requireSystemDisk() throws VmException {
        List<Missing> missing = new ArrayList<>();
        tool(missing, "sfdisk", "fdisk");
        tool(missing, "mkfs.vfat", "dosfstools");
        tool(missing, "mcopy", "mtools");
        tool(missing, "mmd", "mtools");
        report("a VM that boots through GRUB needs what this machine lacks:", missing);
    }

    /** As {@link #require()}, for cross-building kernel modules. */
    static void requireCrossBuild() throws VmException, IOException {
        report(KMOD_NEEDS, crossBuildMissing());
    }

    static void report(List<Missing> missing) throws VmException {
        report(VM_NEEDS, missing);
    }

    static void report(String heading, List<Missing> missing) throws VmException {
        if (missing.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder(heading).append('\n');
        Set<String> packages = new LinkedHashSet<>();
        List<String> commands = new ArrayList<>();
        for (Missing m : missing) {
            message.append("  - ").append(m.what());
            if (m.aptPackage() != null) {
                message.append(" (Debian package ").append(m.aptPackage()).append(")");
                packages.add(m.aptPackage());
            }
            if (m.command() != null) {
                commands.add(m.command());
            }
            message.append('\n');
        }
        List<String> fix = new ArrayList<>();
        if (!packages.isEmpty()) {
            fix.add("apt-get install -y " + String.join(" ", packages));
        }
        fix.addAll(commands);
        message.append("Install it as root with:\n  ").append(String.join(" && ", fix));
        throw new VmException(VmException.Kind.MISSING, message.toString());
    }

    private static void tool(List<Missing> missing, String program, String aptPackage) {
        if (HostCommand.which(program).isEmpty()) {
            missing.add(new Missing(program, aptPackage, null));
        }
    }

    static Path qemu() throws VmException {
        return HostCommand.which(QEMU).orElseThrow(() -> new VmException(VmException.Kind.MISSING,
                QEMU + " is missing; install it as root with: apt-get install -y qemu-system-arm"));
    }
}
