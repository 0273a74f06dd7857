package dev.reclaimlab.power;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which ComputerSystem to reset: the one the inventory names, else the only member of {@code /redfish/v1/Systems}.
 * A BMC with several systems (a multi-node chassis) is never guessed at: resetting the wrong node would take down
 * someone else's host.
 */
final class SystemLocator {
    static final String SYSTEMS = "/redfish/v1/Systems";

    private SystemLocator() {}

    static String locate(RedfishHttp http, RedfishTarget target) throws IOException {
        if (target.systemPath().isPresent()) {
            return target.systemPath().get();
        }
        JsonNode collection = http.read(SYSTEMS, "the systems collection");
        List<String> members = new ArrayList<>();
        for (JsonNode member : collection.path("Members")) {
            String id = member.path("@odata.id").textValue();
            if (id != null && !id.isBlank()) {
                members.add(id);
            }
        }
        if (members.isEmpty()) {
            throw new IOException(http.fail(SYSTEMS + " lists no system to reset"));
        }
        if (members.size() > 1) {
            throw new IOException(http.fail(SYSTEMS + " lists " + members.size() + " systems ("
                    + String.join(", ", members) + "); name the host's one in the inventory"));
        }
        return members.get(0);
    }
}
