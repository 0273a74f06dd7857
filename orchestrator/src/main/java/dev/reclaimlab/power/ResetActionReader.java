package dev.reclaimlab.power;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads a system's reset action. Redfish offers three places for the allowed reset types, and BMCs use each:
 * {@code ResetType@Redfish.AllowableValues} on the action, the {@code Parameters} of its {@code @Redfish.ActionInfo},
 * or nothing.
 */
final class ResetActionReader {
    static final String ACTION = "#ComputerSystem.Reset";

    private ResetActionReader() {}

    static ResetAction read(RedfishHttp http, String systemPath, JsonNode system) throws IOException {
        JsonNode action = system.path("Actions").path(ACTION);
        String target = action.path("target").textValue();
        if (target == null || target.isBlank()) {
            throw new IOException(http.fail("system " + systemPath + " offers no " + ACTION + " action"));
        }
        JsonNode listed = action.path("ResetType@Redfish.AllowableValues");
        if (listed.isArray()) {
            return new ResetAction(target, strings(listed), "the action's AllowableValues");
        }
        String infoPath = action.path("@Redfish.ActionInfo").textValue();
        if (infoPath != null && !infoPath.isBlank()) {
            JsonNode info = http.read(infoPath, "the reset ActionInfo");
            for (JsonNode parameter : info.path("Parameters")) {
                if ("ResetType".equals(parameter.path("Name").textValue())
                        && parameter.path("AllowableValues").isArray()) {
                    return new ResetAction(target, strings(parameter.path("AllowableValues")),
                            "ActionInfo " + infoPath);
                }
            }
        }
        return new ResetAction(target, ResetAction.COMMON, "assumed (the BMC lists no allowed reset types)");
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(v -> {
            if (v.isTextual()) {
                out.add(v.textValue());
            }
        });
        return out;
    }
}
