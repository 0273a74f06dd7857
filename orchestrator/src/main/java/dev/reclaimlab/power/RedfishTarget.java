package dev.reclaimlab.power;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One BMC and how to talk to it.
 *
 * @param baseUrl     {@code https://bmc.example} (or {@code http://} for tests); Redfish paths are resolved against
 *                    it, and nothing is ever sent to another host
 * @param systemPath  the ComputerSystem to reset, e.g. {@code /redfish/v1/Systems/1}; empty = the single member of
 *                    {@code /redfish/v1/Systems} (a BMC of a multi-node chassis has several, and then the inventory
 *                    must name one)
 * @param credentials the BMC account
 * @param auth        Basic on each request, or a Redfish session
 * @param tls         which certificate the BMC may present
 * @param timing      connect/request timeouts and polling
 */
public record RedfishTarget(URI baseUrl, Optional<String> systemPath, Credentials credentials, AuthMode auth,
        TlsTrust tls, Timing timing) {
    public RedfishTarget {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String scheme = Optional.ofNullable(baseUrl.getScheme()).orElse("").toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("a BMC URL must be https://host[:port], got \"" + baseUrl + "\"");
        }
        // without the path, so that resolving "/redfish/v1/..." keeps host and port only
        baseUrl = URI.create(scheme + "://" + baseUrl.getRawAuthority());
        Objects.requireNonNull(systemPath, "systemPath");
        systemPath.ifPresent(p -> {
            if (!p.startsWith("/")) {
                throw new IllegalArgumentException("a Redfish system path starts with /, got \"" + p + "\"");
            }
        });
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(timing, "timing");
    }

    /** Basic auth, the JVM trust store, the system discovered, default timing. */
    public static RedfishTarget of(URI baseUrl, Credentials credentials) {
        return new RedfishTarget(baseUrl, Optional.empty(), credentials, AuthMode.BASIC, TlsTrust.trustStore(),
                Timing.DEFAULTS);
    }

    public RedfishTarget withSystemPath(String path) {
        return new RedfishTarget(baseUrl, Optional.of(path), credentials, auth, tls, timing);
    }

    public RedfishTarget withAuth(AuthMode mode) {
        return new RedfishTarget(baseUrl, systemPath, credentials, mode, tls, timing);
    }

    public RedfishTarget withTls(TlsTrust trust) {
        return new RedfishTarget(baseUrl, systemPath, credentials, auth, trust, timing);
    }

    public RedfishTarget withTiming(Timing t) {
        return new RedfishTarget(baseUrl, systemPath, credentials, auth, tls, t);
    }
}
