package dev.reclaimlab.power;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Optional;

/**
 * One BMC answer: its status, the headers this package uses, and the JSON body ({@link MissingNode} when there was
 * none or it was not JSON: BMCs often answer 204, or an HTML error page).
 */
record RedfishResponse(int status, Optional<String> location, Optional<String> authToken, JsonNode body) {
    boolean ok() {
        return status >= 200 && status < 300;
    }

    /**
     * {@code HTTP 400: <the BMC's own message>}, one line: Redfish puts the reason in {@code error.message} and,
     * more usefully, in {@code error.@Message.ExtendedInfo[].Message}.
     */
    String reason() {
        StringBuilder out = new StringBuilder("HTTP ").append(status);
        JsonNode error = body.path("error");
        String detail = RedfishMessages.join(error.path("@Message.ExtendedInfo"));
        if (detail.isEmpty()) {
            detail = RedfishMessages.oneLine(error.path("message").asText(""));
        }
        if (!detail.isEmpty()) {
            out.append(": ").append(detail);
        }
        return out.toString();
    }
}
