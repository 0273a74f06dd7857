package dev.reclaimlab.host;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a host that is an emulated ARM64 machine ({@code lab vm up}) is booted: the inventory's {@code vm:} section.
 * A VM host names its kernel, so later work (bisecting, comparing kernels) can boot the same host into another one.
 *
 * @param kernel   a Debian arm64 kernel ABI such as {@code 6.1.0-56}, or a series such as {@code 6.1} (its newest
 *                 ABI); empty means Debian's default arm64 kernel
 * @param cpus     virtual CPUs
 * @param memoryBytes guest memory
 * @param cmdline  extra kernel command line words, e.g. {@code cgroup.memory=nokmem}
 * @param console  the file the VM's serial console is logged to (kernel messages: OOM kills, warnings, panics);
 *                 {@code lab run} copies it into the run directory
 */
public record VmSettings(Optional<String> kernel, int cpus, long memoryBytes, String cmdline, Optional<Path> console) {
    public static final int DEFAULT_CPUS = 2;
    /** QEMU's {@code virt} board with its default GICv2 interrupt controller takes at most 8 CPUs. */
    public static final int MAX_CPUS = 8;
    public static final long DEFAULT_MEMORY = 1024L * 1024 * 1024;
    /** Less than this and the guest's own page cache and the lab's cgroups no longer fit next to the kernel. */
    public static final long MIN_MEMORY = 256L * 1024 * 1024;
    public static final long MAX_MEMORY = 64L * 1024 * 1024 * 1024;
    /** arm64's COMMAND_LINE_SIZE is 2048; the rest is for the words lab itself passes. */
    public static final int MAX_CMDLINE = 1024;
    /** A Debian kernel ABI ({@code 6.1.0-56}, {@code 6.12.117+deb12}) or a series ({@code 6.1}). */
    public static final Pattern KERNEL = Pattern.compile("[0-9]+\\.[0-9]+[A-Za-z0-9.+~_-]*");

    public VmSettings {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("cpus must be 1.." + MAX_CPUS + ", got " + cpus);
        }
        if (memoryBytes < MIN_MEMORY || memoryBytes > MAX_MEMORY || memoryBytes % (1024 * 1024) != 0) {
            throw new IllegalArgumentException("memory must be a whole number of MiB in 256M..64G, got " + memoryBytes);
        }
        if (cmdline.length() > MAX_CMDLINE || cmdline.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("cmdline must be one line of at most " + MAX_CMDLINE + " characters");
        }
        kernel.ifPresent(k -> {
            if (!KERNEL.matcher(k).matches()) {
                throw new IllegalArgumentException("not a kernel ABI: " + k);
            }
        });
    }

    public static VmSettings defaults() {
        return new VmSettings(Optional.empty(), DEFAULT_CPUS, DEFAULT_MEMORY, "", Optional.empty());
    }

    public long memoryMib() {
        return memoryBytes / (1024 * 1024);
    }
}
