package dev.reclaimlab.host;

import dev.reclaimlab.shell.Sh;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Runs the read-only facts script on a host and turns its {@code key=value} lines into {@link HostFacts}. */
public final class FactsProbe {
    
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private FactsProbe() {}

    /** The probe's shell command, asking for the events of the given trace systems. */
    public static String command(Collection<String> traceSystems) {
        List<String> words = new ArrayList<>(List.of("sh", "-c", HostScripts.facts(), "lab-facts"));
        words.addAll(traceSystems);
        return Sh.command(words);
    }

    public static HostFacts gather(Transport transport, Collection<String> traceSystems) throws IOException {
        ExecResult result = transport.exec(command(traceSystems), TIMEOUT, OutputListener.NONE);
        if (!result.ok()) {
            throw new IOException("could not read facts of host " + transport.hostName() + ": "
                    + (result.timedOut() ? "timed out" : "exit " + result.exitCode() + " " + result.stderr().strip()));
        }
        return parse(result.stdout());
    }

    static HostFacts parse(String output) {
        String hostname = "", kernel = "", machine = "", cmdline = "", bootId = "", shell = "", cpusOnline = "";
        int uid = -1, memcgCount = 0;
        long memKb = 0, swapKb = 0, panicSeconds = 0;
        boolean memcgEnabled = false, tracefsSupported = false, psi = false;
        Optional<String> tracefs = Optional.empty();
        Optional<String> v1Memory = Optional.empty();
        Optional<String> v2Memory = Optional.empty();
        boolean v2Delegated = false;
        boolean anyV1 = false, anyV2 = false;
        Set<String> events = new LinkedHashSet<>();
        Set<String> commands = new LinkedHashSet<>();
        Set<String> kernelAccess = new LinkedHashSet<>();
        List<String> swaps = new ArrayList<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1);
            switch (key) {
                case "hostname" -> hostname = value;
                case "uid" -> uid = parseInt(value, -1);
                case "kernel_release" -> kernel = value;
                case "machine" -> machine = value;
                case "cmdline" -> cmdline = value;
                case "boot_id" -> bootId = value;
                case "kernel_panic" -> panicSeconds = parseLong(value);
                case "cpus_online" -> cpusOnline = value;
                case "mem_total_kb" -> memKb = parseLong(value);
                case "swap_total_kb" -> swapKb = parseLong(value);
                case "memcg_count" -> memcgCount = parseInt(value, 0);
                case "memcg_enabled" -> memcgEnabled = value.equals("1");
                case "tracefs_supported" -> tracefsSupported = true;
                case "tracefs" -> tracefs = Optional.of(value);
                case "psi" -> psi = true;
                case "event" -> events.add(value);
                case "command" -> commands.add(value);
                case "kernel_access" -> kernelAccess.add(value);
                case "swap" -> swaps.add(value);
                case "shell" -> shell = value;
                case "mount" -> {
                    String[] parts = value.split(" ");
                    if (parts.length >= 2 && parts[0].equals("cgroup")) {
                        anyV1 = true;
                        if (parts.length >= 3 && List.of(parts[2].split(",")).contains("memory")) {
                            v1Memory = Optional.of(parts[1]);
                        }
                    } else if (parts.length >= 2 && parts[0].equals("cgroup2")) {
                        anyV2 = true;
                    }
                }
                case "cgroup2_controllers" -> {
                    String[] parts = value.split(" ", 2);
                    if (parts.length == 2 && List.of(parts[1].split(",")).contains("memory")) {
                        v2Memory = Optional.of(parts[0]);
                    }
                }
                case "cgroup2_subtree_control" -> {
                    String[] parts = value.split(" ", 2);
                    if (parts.length == 2 && List.of(parts[1].split(",")).contains("memory")) {
                        v2Delegated = true;
                    }
                }
                default -> { }
            }
        }
        CgroupMode mode = anyV1 && anyV2 ? CgroupMode.HYBRID : anyV1 ? CgroupMode.LEGACY
                : anyV2 ? CgroupMode.UNIFIED : CgroupMode.NONE;
        int memoryVersion = !memcgEnabled && v2Memory.isEmpty() ? 0 : v1Memory.isPresent() ? 1 : v2Memory.isPresent() ? 2 : 0;
        Optional<String> memoryRoot = memoryVersion == 1 ? v1Memory : memoryVersion == 2 ? v2Memory : Optional.empty();
        return new HostFacts(hostname, uid, kernel, machine, cmdline, bootId, countCpus(cpusOnline), memKb * 1024,
                swapKb * 1024, mode, memoryVersion, memoryRoot, memoryVersion == 2 && v2Delegated, memcgCount, tracefs,
                tracefsSupported, events, swaps, psi, commands, kernelAccess, shell, panicSeconds);
    }

    /** Counts CPUs in a kernel CPU list such as {@code 0-3,8,10-11}. */
    static int countCpus(String list) {
        int count = 0;
        for (String range : list.strip().split(",")) {
            if (range.isEmpty()) {
                continue;
            }
            String[] ends = range.split("-");
            int from = parseInt(ends[0], 0);
            int to = ends.length > 1 ? parseInt(ends[1], from) : from;
            count += to - from + 1;
        }
        return count;
    }

    private static int parseInt(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
