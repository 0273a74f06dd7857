package dev.reclaimlab.loader;

import dev.reclaimlab.boot.BootTarget;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A boot target as lab's records of its boots spell it ({@code kernel}, {@code add}, {@code remove}, words
 * blank-separated), in the host's boot state or on the orchestrator: what {@code lab cleanup} reads back after a crash.
 */
final class TargetRecord {
    private TargetRecord() {}

    /** Puts {@code target} into {@code record}. */
    static void put(Map<String, String> record, BootTarget target) {
        record.put("kernel", target.kernel().orElse(""));
        record.put("add", String.join(" ", target.add()));
        record.put("remove", String.join(" ", target.remove()));
    }

    /** The target a record names; empty for no record at all. */
    static Optional<BootTarget> read(Map<String, String> record) {
        if (record.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BootTarget(Optional.ofNullable(record.get("kernel")).filter(k -> !k.isEmpty()),
                words(record.get("add")), words(record.get("remove"))));
    }

    private static List<String> words(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.asList(text.strip().split("\\s+"));
    }
}
