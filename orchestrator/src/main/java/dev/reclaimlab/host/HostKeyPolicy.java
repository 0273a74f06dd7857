package dev.reclaimlab.host;

/**
 * What to do with a host key that the known_hosts file does not list. A key that differs from the listed one is
 * refused under every policy: that is exactly the case host-key checking exists for.
 */
public enum HostKeyPolicy {
    /** Refuse unknown keys (OpenSSH {@code StrictHostKeyChecking=yes}). The default. */
    STRICT,
    /**
     * Trust an unknown key on first use and append it to the known_hosts file (OpenSSH
     * {@code StrictHostKeyChecking=accept-new}); later connections are then checked against it.
     */
    ACCEPT_NEW
}
