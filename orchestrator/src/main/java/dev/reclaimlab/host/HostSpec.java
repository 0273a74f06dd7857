package dev.reclaimlab.host;

import dev.reclaimlab.yaml.Location;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A host as an inventory names it. {@code local} is built in: the machine {@code lab} runs on, reached without SSH.
 *
 * @param workdir           where the lab keeps its files on the host (swap file, workload output, raw traces);
 *                          must be on a disk, not tmpfs, because tmpfs pages cannot be reclaimed without swap
 * @param knownHosts        empty means ~/.ssh/known_hosts
 * @param acceptNewHostKey  like OpenSSH's accept-new: learn an unknown host key; a changed key is refused regardless
 * @param vm                present when the host is an emulated machine that {@code lab vm} boots: its kernel, CPUs,
 *                          memory, command line and console log
 */
public record HostSpec(
        String name,
        String address,
        int port,
        String user,
        List<Path> identityFiles,
        Optional<String> jump,
        Optional<Path> knownHosts,
        boolean acceptNewHostKey,
        String workdir,
        Optional<Location> at,
        Optional<VmSettings> vm) {

    public static final String LOCAL_NAME = "local";
    public static final String DEFAULT_WORKDIR = "/var/tmp/lab";

    /** A host that is not a VM. */
    public HostSpec(String name, String address, int port, String user, List<Path> identityFiles, Optional<String> jump,
                    Optional<Path> knownHosts, boolean acceptNewHostKey, String workdir, Optional<Location> at) {
        this(name, address, port, user, identityFiles, jump, knownHosts, acceptNewHostKey, workdir, at, Optional.empty());
    }

    public static HostSpec local() {
        return new HostSpec(LOCAL_NAME, "localhost", 0, "root", List.of(), Optional.empty(), Optional.empty(),
                false, DEFAULT_WORKDIR, Optional.empty());
    }

    public boolean isLocal() {
        return LOCAL_NAME.equals(name);
    }
}
