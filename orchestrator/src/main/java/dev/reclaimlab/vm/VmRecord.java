package dev.reclaimlab.vm;

import java.util.List;

/**
 * What {@code vm.json} says about a registered VM: how it is booted and how it was last booted.
 *
 * @param kernel        the Debian kernel ABI, e.g. {@code 6.1.0-56}
 * @param release       the guest's {@code uname -r} at the last boot
 * @param cpu           QEMU's CPU model ({@code cortex-a57}: {@code max} emulates pointer authentication and is ~10x
 *                      slower on kernel-heavy work)
 * @param cmdline       extra kernel command line
 * @param sshPort       the loopback port forwarded to the guest's port 22
 * @param diskMib       size of the data disk
 * @param bootedAt      ISO time of the last successful boot; null before the first
 * @param bootSeconds   seconds from starting QEMU to SSH answering, at the last boot
 * @param bootLoader    {@link #GRUB}: the VM boots through UEFI firmware and GRUB from its system disk, like a server
 *                      (its kernels and command line are in the disk's grub.cfg); null: QEMU loads the kernel itself
 * @param installed     a GRUB VM's other kernels (ABIs) in /boot besides {@code kernel}, its default
 */
public record VmRecord(String name, String kernel, String release, int cpus, long memoryMib, String cpu,
                       String cmdline, int sshPort, long diskMib, String createdAt, String bootedAt,
                       Double bootSeconds, String bootLoader, List<String> installed) {
    public static final String GRUB = "grub";
    public static final String DEFAULT_CPU = "cortex-a57";
    public static final long DEFAULT_DISK_MIB = 8 * 1024;

    public VmRecord {
        installed = installed == null ? List.of() : List.copyOf(installed);
    }

    public boolean grub() {
        return GRUB.equals(bootLoader);
    }

    /** The same VM after a boot: where SSH answered, what it runs, when. */
    VmRecord booted(int port, String bootRelease, String at, Double seconds) {
        return new VmRecord(name, kernel, bootRelease, cpus, memoryMib, cpu, cmdline, port, diskMib, createdAt, at,
                seconds, bootLoader, installed);
    }
}
