package dev.reclaimlab.power;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Redfish Message objects (in errors and tasks) turned into one short line for an error message. */
final class RedfishMessages {
    /** Long enough for any real message, short enough that an HTML page cannot flood the terminal. */
    private static final int MAX = 300;

    private RedfishMessages() {}

    /** The {@code Message} (else {@code MessageId}) of each entry, joined with "; ". */
    static String join(JsonNode messages) {
        List<String> parts = new ArrayList<>();
        for (JsonNode m : messages) {
            String text = m.path("Message").asText("");
            if (text.isBlank()) {
                text = m.path("MessageId").asText("");
            }
            if (!text.isBlank()) {
                parts.add(text);
            }
        }
        return oneLine(String.join("; ", parts));
    }

    static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() <= MAX ? line : line.substring(0, MAX) + "...";
    }
}
