package dev.reclaimlab.host;

import java.io.IOException;

/**
 * The host's key could not be trusted, so no connection was made. The message is written for the person running the
 * experiment: it names the host, the key, the known_hosts file and what to do.
 */
public final class HostKeyException extends IOException {

    /** Why the key was refused. */
    public enum Reason {
        /** The host is not in the known_hosts file and the policy does not accept new keys. */
        UNKNOWN,
        /** The known_hosts file lists a different key for the host. */
        CHANGED,
        /** The key is marked {@code @revoked} in the known_hosts file. */
        REVOKED
    }

    private final Reason reason;
    private final String fingerprint;

    HostKeyException(Reason reason, String fingerprint, String message) {
        super(message);
        this.reason = reason;
        this.fingerprint = fingerprint;
    }

    public Reason reason() {
        return reason;
    }

    /** SHA256 fingerprint of the key the server offered, in OpenSSH's {@code SHA256:...} form. */
    public String fingerprint() {
        return fingerprint;
    }
}
