package dev.reclaimlab.nightly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.stream.Stream;

/**
 * Nights made from the real swappiness run directory: each a copy with its own run id, start time and kernel, and its
 * {@code events} of every repeat multiplied by a factor the test chooses. What the nightly job reads of them goes
 * through the same indexer and database as a real run's.
 */
final class Nights implements NightlyJob.NightRunner {
    private final Path dir;
    private final Deque<Double> factors = new ArrayDeque<>();
    private int made;
    private String kernel = "6.1.0-56-arm64";
    private IOException failNext;

    Nights(Path dir) {
        this.dir = dir;
    }

    /** The factors of the next runs the job asks for (the night, then a re-run if it needs one). */
    Nights next(double... values) {
        for (double v : values) {
            factors.add(v);
        }
        return this;
    }

    Nights kernel(String release) {
        this.kernel = release;
        return this;
    }

    Nights failing(IOException e) {
        this.failNext = e;
        return this;
    }

    int made() {
        return made;
    }

    @Override
    public Path run(String purpose) throws IOException {
        if (failNext != null) {
            IOException e = failNext;
            failNext = null;
            throw e;
        }
        double factor = factors.isEmpty() ? 1 : factors.removeFirst();
        made++;
        Path target = dir.resolve("night-" + made);
        Files.createDirectories(target);
        Path copy = Fixtures.swappinessRunCopy(target);
        ObjectNode manifest = (ObjectNode) Json.mapper().readTree(copy.resolve("manifest.json").toFile());
        manifest.put("run_id", String.format("2026120%d-0100%02d-%s", Math.min(9, made), made, purpose.substring(0, 4)));
        manifest.put("started_at", String.format("2026-12-%02dT01:00:%02dZ", Math.min(28, made), made));
        Json.mapper().writeValue(copy.resolve("manifest.json").toFile(), manifest);
        ObjectNode facts = (ObjectNode) Json.mapper().readTree(copy.resolve("hosts/local/facts.json").toFile());
        facts.put("kernel_release", kernel);
        Json.mapper().writeValue(copy.resolve("hosts/local/facts.json").toFile(), facts);
        try (Stream<Path> files = Files.walk(copy)) {
            for (Path metrics : files.filter(p -> p.getFileName().toString().equals("metrics.json")).toList()) {
                ObjectNode m = (ObjectNode) Json.mapper().readTree(metrics.toFile());
                JsonNode events = m.get("events");
                m.put("events", Math.round(events.asDouble() * factor));
                Json.mapper().writeValue(metrics.toFile(), m);
            }
        }
        // as lab nightly's runner does: the run's own report, which the database links
        dev.reclaimlab.report.CompareReport.writeForRun(dev.reclaimlab.artifacts.RunDirectory.open(copy));
        return copy;
    }
}
