package dev.reclaimlab.vm;

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
 */
public record VmRecord(String name, String kernel, String release, int cpus, long memoryMib, String cpu,
                       String cmdline, int sshPort, long diskMib, String createdAt, String bootedAt,
                       Double bootSeconds) {
    public static final String DEFAULT_CPU = "cortex-a57";
    public static final long DEFAULT_DISK_MIB = 8 * 1024;
}
