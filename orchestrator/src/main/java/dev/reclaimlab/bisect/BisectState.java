package dev.reclaimlab.bisect;

import dev.reclaimlab.local.Json;
import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bisect as recorded in {@code DIR/bisect.json}: what was asked, every batch measured, and the batch under way when
 * the file was last written. Rewritten whole and atomically before and after every batch, so a crash at any moment
 * leaves either the state before the batch (with it pending) or after it.
 *
 * @param pending the batch that was started and not recorded as finished: after a crash, its run directory holds the
 *                repeats that did finish, which {@code --resume} takes instead of measuring them again
 */
public record BisectState(int format, BisectSettings settings, String startedAt, List<Measurement> measurements,
                          Pending pending) {
    public static final String FILE = "bisect.json";
    static final int FORMAT = 1;

    public BisectState {
        measurements = List.copyOf(measurements);
    }

    /** A batch under way: its candidate, purpose and size, and the folder its run directory goes into. */
    public record Pending(int candidate, String purpose, int repeats, String runsDir, String startedAt) {}

    public static BisectState start(BisectSettings settings) {
        return new BisectState(FORMAT, settings, java.time.Instant.now().toString(), List.of(), null);
    }

    public BisectState withPending(Pending next) {
        return new BisectState(format, settings, startedAt, measurements, next);
    }

    /** With {@code m} recorded and nothing pending. */
    public BisectState with(Measurement m) {
        List<Measurement> all = new ArrayList<>(measurements);
        all.add(m);
        return new BisectState(format, settings, startedAt, all, null);
    }

    public Analysis analyze() {
        return new Bisection(settings, measurements).analyze();
    }

    /** Writes the state, and the analysis of it for readers, into {@code dir/bisect.json}. */
    public void save(Path dir, Analysis analysis) throws IOException {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("format", format);
        file.put("settings", settings);
        file.put("started_at", startedAt);
        file.put("measurements", measurements);
        if (pending != null) {
            file.put("pending", pending);
        }
        file.put("analysis", analysis);
        Trees.write(dir.resolve(FILE), Json.mapper().writeValueAsBytes(file));
    }

    /** The state in {@code dir}; an error that names the file when it is missing or not a bisect's. */
    public static BisectState load(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        BisectState state;
        try {
            state = Json.mapper().readValue(Files.readAllBytes(file), BisectState.class);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no bisect here (lab bisect writes " + FILE + " into its --out folder)");
        } catch (IOException e) {
            throw new IOException(file + ": not a bisect state lab can read: " + e.getMessage(), e);
        }
        if (state.format() != FORMAT || state.settings() == null) {
            throw new IOException(file + ": a bisect state of format " + state.format() + "; this lab reads format "
                    + FORMAT);
        }
        return state;
    }
}
