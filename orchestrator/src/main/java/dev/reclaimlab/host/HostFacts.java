package dev.reclaimlab.host;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a host is, gathered read-only before anything is changed on it. Saved as {@code facts.json} with every run
 * so results can be compared across kernels and settings (e.g. {@code cgroup.memory=nokmem} and the memcg count,
 * which seed §4.3 shows decide whether shrink_slab dominates reclaim).
 *
 * @param memoryCgroupVersion 1 or 2; 0 when the memory controller is not mounted
 * @param memoryCgroupRoot    where memory cgroups are made (v1: the memory hierarchy; v2: the cgroup2 mount)
 * @param tracefs             the tracing directory, when tracefs is mounted
 * @param events              available events of the requested trace systems, as {@code system:name}
 * @param commands            which of the commands lab relies on exist on the host
 * @param kernelAccess        what of the kernel the host lets lab reach: {@link #KBUILD}, {@link #KCORE}, {@link #KALLSYMS},
 *                            {@link #KMSG}
 * @param panicSeconds        {@code kernel.panic}: seconds from a panic to the kernel's own reboot; negative: at once;
 *                            zero: never (a panicked host then waits for a power cycle)
 */
public record HostFacts(
        String hostname,
        int uid,
        String kernelRelease,
        String machine,
        String cmdline,
        String bootId,
        int cpus,
        long memTotalBytes,
        long swapTotalBytes,
        CgroupMode cgroupMode,
        int memoryCgroupVersion,
        Optional<String> memoryCgroupRoot,
        boolean memoryControllerDelegated,
        int memcgCount,
        Optional<String> tracefs,
        boolean tracefsSupported,
        Set<String> events,
        List<String> swaps,
        boolean psi,
        Set<String> commands,
        Set<String> kernelAccess,
        String shell,
        long panicSeconds) {
    public HostFacts {
        events = events == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(events));
        swaps = swaps == null ? null : List.copyOf(swaps);
        commands = commands == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(commands));
        kernelAccess = kernelAccess == null ? null : Collections.unmodifiableSet(new LinkedHashSet<>(kernelAccess));
    }


    /** {@code /lib/modules/$(uname -r)/build} exists: modules can be built on the host. */
    public static final String KBUILD = "kbuild";
    /** {@code /proc/kcore} is readable: kernel text can be read (patch plans show what they replace). */
    public static final String KCORE = "kcore";
    /** {@code /proc/kallsyms} shows real addresses (not zeros hidden by {@code kernel.kptr_restrict}). */
    public static final String KALLSYMS = "kallsyms";
    /** {@code /dev/kmsg} is writable: lab marks where each iteration's kernel messages start. */
    public static final String KMSG = "kmsg";

    /** {@code cgroup.memory=nokmem}: kernel memory is not charged to memcgs (the seed §4.3 condition). */
    @com.fasterxml.jackson.annotation.JsonProperty("nokmem")
    public boolean nokmem() {
        for (String word : cmdline.split("\\s+")) {
            if (word.equals("--")) {
                break; // what follows belongs to init, not the kernel
            }
            if (word.startsWith("cgroup.memory=") && List.of(word.substring(14).split(",")).contains("nokmem")) {
                return true;
            }
        }
        return false;
    }

    public boolean has(String command) {
        return commands.contains(command);
    }

    /** One of {@link #KBUILD}, {@link #KCORE}, {@link #KALLSYMS}, {@link #KMSG}. */
    public boolean allows(String access) {
        return kernelAccess.contains(access);
    }

    /** The same facts with tracefs known to be at {@code dir} and these events available (after lab mounted it). */
    public HostFacts withTracing(String dir, Set<String> availableEvents) {
        return new HostFacts(hostname, uid, kernelRelease, machine, cmdline, bootId, cpus, memTotalBytes,
                swapTotalBytes, cgroupMode, memoryCgroupVersion, memoryCgroupRoot, memoryControllerDelegated,
                memcgCount, Optional.of(dir), tracefsSupported, availableEvents, swaps, psi, commands, kernelAccess,
                shell, panicSeconds);
    }
}
