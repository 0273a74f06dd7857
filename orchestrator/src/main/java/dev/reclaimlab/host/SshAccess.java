package dev.reclaimlab.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How to log in to a host over SSH, as an inventory says it.
 *
 * @param identityFiles     private keys to offer (ssh-agent keys are offered too); empty means the usual defaults
 * @param jump              another host of the inventory to go through
 * @param knownHosts        empty means ~/.ssh/known_hosts
 * @param acceptNewHostKey  like OpenSSH's accept-new: learn an unknown host key; a changed key is refused regardless
 */
public record SshAccess(String address, int port, String user, List<Path> identityFiles, Optional<String> jump,
                        Optional<Path> knownHosts, boolean acceptNewHostKey) {
    public SshAccess {
        identityFiles = List.copyOf(identityFiles);
    }
}
