package dev.reclaimlab.artifacts;

import dev.reclaimlab.local.Json;
import dev.reclaimlab.local.Trees;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The orchestrator-side folder of one run ({@link RunLayout} names what is in it). Every file is written to a
 * temporary name and moved into place, so a crash never leaves a half-written file under its final name. Readers
 * open an existing one with {@link #open(Path)} and get the manifest as {@link Manifest} records.
 */
public final class RunDirectory {
    private final Path root;

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** A new run directory (or one lab writes into, such as a comparison's output folder). */
    public static RunDirectory create(Path root) throws IOException {
        Files.createDirectories(root);
        return new RunDirectory(root);
    }

    /** An existing run directory, to read. */
    public static RunDirectory open(Path root) throws IOException {
        if (!Files.isRegularFile(root.resolve(RunLayout.MANIFEST))) {
            throw new IOException(root + " is not a run directory (no " + RunLayout.MANIFEST + ")");
        }
        return new RunDirectory(root);
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    /**
     * A path the run's own files name (a manifest entry): it must stay inside the run directory, also after
     * symbolic links are followed. A run directory may come from someone else; a report made from it reads and
     * links only what is in it.
     */
    public Path inside(String relative) throws IOException {
        Path base = root.toAbsolutePath().normalize();
        Path path = base.resolve(relative).normalize();
        boolean escapes = !path.startsWith(base);
        if (!escapes && Files.exists(path)) {
            escapes = !path.toRealPath().startsWith(base.toRealPath());
        }
        if (escapes) {
            throw new IOException(root.resolve(RunLayout.MANIFEST) + ": the path '" + relative
                    + "' leads outside the run directory; a run names only its own files");
        }
        return path;
    }

    public void write(String relative, String text) throws IOException {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    public void write(String relative, byte[] bytes) throws IOException {
        Trees.write(resolve(relative), bytes);
    }

    public void writeJson(String relative, Object value) throws IOException {
        write(relative, Json.mapper().writeValueAsBytes(value));
    }

    public void writeManifest(Manifest manifest) throws IOException {
        writeJson(RunLayout.MANIFEST, manifest);
    }

    /** manifest.json as the run last wrote it. */
    public Manifest manifest() throws IOException {
        return readJson(RunLayout.MANIFEST, Manifest.class).orElseThrow(
                () -> new IOException(root + " is not a run directory (no " + RunLayout.MANIFEST + ")"));
    }

    /** A JSON file of the run as {@code type}; empty when the file is not there. */
    public <T> Optional<T> readJson(String relative, Class<T> type) throws IOException {
        Path file = inside(relative);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.mapper().readValue(file.toFile(), type));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + " cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    /** The plan as the run was given it, if the run kept it. */
    public Optional<Path> planCopy() {
        Path plan = resolve(RunLayout.PLAN_COPY);
        return Files.isRegularFile(plan) ? Optional.of(plan) : Optional.empty();
    }

    /**
     * The first {@code limit} records of the step log, in order; the partial log of a run that did not finish, whose
     * cut last line is skipped.
     */
    public List<StepRecord> steps(int limit) throws IOException {
        Path log = resolve(RunLayout.STEPS);
        if (!Files.isRegularFile(log)) {
            log = resolve(RunLayout.STEPS_PARTIAL);
        }
        List<StepRecord> steps = new ArrayList<>();
        if (!Files.isRegularFile(log)) {
            return steps;
        }
        try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while (steps.size() < limit && (line = reader.readLine()) != null) {
                try {
                    steps.add(Json.mapper().readValue(line, StepRecord.class));
                } catch (com.fasterxml.jackson.core.JacksonException e) {
                    // a blank line, or the cut last line of a crashed run's log
                }
            }
        }
        return steps;
    }
}
