package dev.reclaimlab.host;

import java.util.Optional;

/**
 * A host's BMC as its inventory entry names it ({@code boot: redfish:}), for power control over Redfish. The password
 * is never in the inventory: it is read from the environment variable {@code passwordEnv} when it is needed.
 *
 * @param url         {@code https://bmc7} (the BMC, not a Redfish path)
 * @param system      the ComputerSystem to reset, e.g. {@code /redfish/v1/Systems/1}; empty: the BMC's only one
 * @param session     a Redfish session instead of HTTP Basic on every request
 * @param pin         the SHA-256 fingerprint of the BMC's certificate, for the usual self-signed one
 * @param insecure    accept any certificate (asked for by name, for throwaway lab networks)
 */
public record RedfishSettings(String url, Optional<String> system, String user, String passwordEnv, boolean session,
                              Optional<String> pin, boolean insecure) {
}
