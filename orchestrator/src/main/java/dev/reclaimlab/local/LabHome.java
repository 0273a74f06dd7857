package dev.reclaimlab.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where lab keeps what outlives one command: {@code $LAB_HOME}, else {@code ~/.local/share/lab}.
 * <pre>
 * vms/NAME/      one registered VM: its inventory entry, keys, disk, console log, pid file
 * cache/arm64/   downloaded Debian packages and the guest parts built from them, shared by every VM
 * consoles/      what hosts' console commands printed ({@code boot: console: [ipmitool, ..., sol, activate]})
 * </pre>
 */
public record LabHome(Path root) {

    public static LabHome fromEnvironment() {
        return from(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    public static LabHome from(Map<String, String> env, Path home) {
        String dir = env.get("LAB_HOME");
        if (dir != null && !dir.isBlank()) {
            return new LabHome(Path.of(dir).toAbsolutePath().normalize());
        }
        return new LabHome(home.resolve(".local/share/lab"));
    }

    public Path vms() {
        return root.resolve("vms");
    }

    public Path cache() {
        return root.resolve("cache").resolve("arm64");
    }

    /** The log a host's console command writes to, kept across boots and runs like a conserver log. */
    public Path consoleLog(String host) {
        return root.resolve("consoles").resolve(host + ".log");
    }

    /**
     * Where a boot method that keeps its state on the orchestrator (the lab's own hooks) records what it booted on
     * {@code host}, before it asks for it, so that {@code lab cleanup} knows after a crash.
     */
    public Path bootRecord(String host) {
        return root.resolve("boot").resolve(host + ".properties");
    }
}
