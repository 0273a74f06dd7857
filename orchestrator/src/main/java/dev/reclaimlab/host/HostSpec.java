package dev.reclaimlab.host;

import dev.reclaimlab.yaml.Location;
import java.util.Optional;

/**
 * A host as an inventory names it. {@code local} is built in: the machine {@code lab} runs on, reached without SSH.
 *
 * @param kind    what the host is (local, SSH, a {@code lab vm} guest) and so what lab can do with it
 * @param workdir where the lab keeps its files on the host (swap file, workload output, raw traces); must be on a
 *                disk, not tmpfs, because tmpfs pages cannot be reclaimed without swap
 * @param at      where the inventory defines it
 */
public record HostSpec(String name, HostKind kind, String workdir, Optional<Location> at) {

    public static final String LOCAL_NAME = "local";
    public static final String DEFAULT_WORKDIR = "/var/tmp/lab";

    public static HostSpec local() {
        return new HostSpec(LOCAL_NAME, new HostKind.Local(), DEFAULT_WORKDIR, Optional.empty());
    }

    /** An SSH host with the default work directory, defined nowhere in particular (tests, lab vm). */
    public static HostSpec ssh(String name, SshAccess access) {
        return new HostSpec(name, new HostKind.Ssh(access), DEFAULT_WORKDIR, Optional.empty());
    }
}
