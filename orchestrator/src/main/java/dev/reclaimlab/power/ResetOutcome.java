package dev.reclaimlab.power;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a restart did: which reset types the BMC accepted, and which it refused on the way (the reboot ladder reports
 * these, so a BMC that always refuses GracefulRestart is visible).
 *
 * @param system  the ComputerSystem path that was reset
 * @param sent    the accepted reset types, in order (two for ForceOff then On)
 * @param refused the types tried before and refused, with why
 * @param allowed where the allowed reset types came from
 */
public record ResetOutcome(String system, List<ResetType> sent, List<RefusedReset> refused, String allowed) {
    public ResetOutcome {
        sent = List.copyOf(sent);
        refused = List.copyOf(refused);
    }

    /** {@code ForceRestart accepted by /redfish/v1/Systems/1 (refused first: GracefulRestart (HTTP 400: ...))}. */
    public String summary() {
        String accepted = sent.stream().map(ResetType::redfishName).collect(Collectors.joining(" then "));
        String out = accepted + " accepted by " + system;
        if (!refused.isEmpty()) {
            out += " (refused first: " + refused.stream().map(RefusedReset::toString)
                    .collect(Collectors.joining(", ")) + ")";
        }
        return out;
    }
}
