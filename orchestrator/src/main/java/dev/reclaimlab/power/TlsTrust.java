package dev.reclaimlab.power;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which server certificate the BMC may present. Most BMCs ship a self-signed certificate, so besides the JVM trust
 * store there is pinning (the lab owner copies the fingerprint once) and, for throwaway lab networks, an explicit
 * opt-out. Plain {@code http://} URLs ignore this.
 */
public sealed interface TlsTrust {
    /** The JVM's default trust store, with host-name checking: what any HTTPS client does. */
    record TrustStore() implements TlsTrust {}

    /**
     * Exactly the leaf certificate with this SHA-256 fingerprint. The host name is not checked: the pin is stronger
     * than a name, and BMC certificates rarely carry the name the lab uses.
     *
     * @param sha256 upper-case hex pairs separated by colons ({@code AB:CD:...}); {@link #pinned(String)} accepts
     *               other spellings
     */
    record Pinned(String sha256) implements TlsTrust {
        private static final Pattern CANONICAL = Pattern.compile("[0-9A-F]{2}(:[0-9A-F]{2}){31}");

        public Pinned {
            if (sha256 == null || !CANONICAL.matcher(sha256).matches()) {
                throw new IllegalArgumentException("expected a SHA-256 fingerprint (64 hex digits), got \"" + sha256
                        + "\"");
            }
        }
    }

    /** Any certificate, any name: the connection is encrypted but not authenticated. Must be asked for by name. */
    record Insecure() implements TlsTrust {}

    static TlsTrust trustStore() {
        return new TrustStore();
    }

    static TlsTrust insecure() {
        return new Insecure();
    }

    /**
     * A pin from any usual spelling: {@code AB:CD:..}, {@code abcd..}, {@code AB CD ..}, with or without a
     * {@code sha256:} / {@code SHA256=} prefix (as {@code openssl x509 -fingerprint -sha256} prints it).
     *
     * @throws IllegalArgumentException when it is not 32 bytes of hex
     */
    static Pinned pinned(String fingerprint) {
        String hex = fingerprint.strip().replaceFirst("(?i)^(sha-?256)\\s*(fingerprint)?\\s*[:=]\\s*", "")
                .replaceAll("[:\\s]", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{64}")) {
            throw new IllegalArgumentException("expected a SHA-256 fingerprint (64 hex digits), got \"" + fingerprint
                    + "\"");
        }
        return new Pinned(Fingerprints.colonHex(hex));
    }
}
