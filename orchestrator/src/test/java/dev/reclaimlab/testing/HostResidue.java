package dev.reclaimlab.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What lab may leave behind on this machine, read straight from the kernel and the file system: run folders with
 * their journals (and legacy journals in /run/lab), lab cgroups, tracefs instances, swap files, sysctl values, the
 * tracefs mount, and the processes lab starts (drainers, samplers, watchdogs). Take a
 * {@link #snapshot()} before a run and compare with {@link #leftSince(Snapshot)} after it.
 */
public final class HostResidue {
    private static final List<Path> SYSCTLS = List.of(Path.of("/proc/sys/vm/swappiness"),
            Path.of("/proc/sys/vm/min_free_kbytes"), Path.of("/proc/sys/vm/vfs_cache_pressure"),
            Path.of("/proc/sys/vm/dirty_ratio"));

    private HostResidue() {}

    public record Snapshot(String swaps, Map<String, String> sysctls, boolean tracefsMounted, List<String> workdirs) {}

    public static Snapshot snapshot() throws IOException {
        Map<String, String> values = new TreeMap<>();
        for (Path sysctl : SYSCTLS) {
            values.put(sysctl.toString(), Files.readString(sysctl).strip());
        }
        return new Snapshot(Files.readString(Path.of("/proc/swaps")), values, tracefsMounted(), workdirs());
    }

    /** Everything that differs from {@code before} or carries a lab name; empty when the host is clean. */
    public static List<String> leftSince(Snapshot before) throws IOException {
        List<String> left = new ArrayList<>();
        if (Files.isDirectory(Path.of("/run/lab"))) {
            left.add("journal directory /run/lab exists: " + list(Path.of("/run/lab")));
        }
        for (Path root : List.of(Path.of("/sys/fs/cgroup/memory"), Path.of("/sys/fs/cgroup/unified"), Path.of("/sys/fs/cgroup"))) {
            if (Files.isDirectory(root)) {
                for (String name : list(root)) {
                    if (name.startsWith("lab-")) {
                        left.add("cgroup " + root.resolve(name));
                    }
                }
            }
        }
        for (Path tracing : List.of(Path.of("/sys/kernel/tracing/instances"), Path.of("/sys/kernel/debug/tracing/instances"))) {
            if (Files.isDirectory(tracing)) {
                for (String name : list(tracing)) {
                    if (name.startsWith("lab-")) {
                        left.add("tracefs instance " + tracing.resolve(name));
                    }
                }
            }
        }
        Snapshot now = snapshot();
        if (!now.swaps().equals(before.swaps())) {
            left.add("swap areas differ: " + now.swaps());
        }
        if (!now.sysctls().equals(before.sysctls())) {
            left.add("sysctls differ: before " + before.sysctls() + ", now " + now.sysctls());
        }
        if (now.tracefsMounted() != before.tracefsMounted()) {
            left.add("tracefs mount changed: was " + before.tracefsMounted() + ", now " + now.tracefsMounted());
        }
        if (!now.workdirs().equals(before.workdirs())) {
            left.add("work directories differ: before " + before.workdirs() + ", now " + now.workdirs());
        }
        left.addAll(labProcesses());
        return left;
    }

    private static boolean tracefsMounted() throws IOException {
        return Files.readAllLines(Path.of("/proc/mounts")).stream().anyMatch(l -> l.split(" ")[2].equals("tracefs"));
    }

    private static List<String> workdirs() throws IOException {
        Path base = Path.of("/var/tmp/lab");
        return Files.isDirectory(base) ? list(base) : List.of();
    }

    /** Drainers, samplers and watchdogs lab starts carry the run id or their function in their command lines. */
    private static List<String> labProcesses() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline"))).replace('\0', ' ');
                    if (cmdline.contains("/instances/lab-") || cmdline.contains("lab_monitor")
                            || cmdline.contains("lab_watchdog")) {
                        found.add("process " + proc.getFileName() + ": " + cmdline.strip());
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return found;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
