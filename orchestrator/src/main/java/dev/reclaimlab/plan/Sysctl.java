package dev.reclaimlab.plan;

import dev.reclaimlab.yaml.Location;

/** One sysctl to set for the experiment, e.g. {@code vm.swappiness = 100}; the old value is restored afterwards. */
public record Sysctl(String key, String value, Location at) {
    /** The file under /proc/sys: dots become slashes, as sysctl(8) does. */
    public String procPath() {
        return "/proc/sys/" + key.replace('.', '/');
    }
}
