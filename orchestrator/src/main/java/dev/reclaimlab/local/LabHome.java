package dev.reclaimlab.local;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where lab keeps what outlives one command: {@code $LAB_HOME}, else {@code ~/.local/share/lab}.
 * <pre>
 * vms/NAME/      one registered VM: its inventory entry, keys, disk, console log, pid file
 * cache/arm64/   downloaded Debian packages and the guest parts built from them, shared by every VM
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
}
