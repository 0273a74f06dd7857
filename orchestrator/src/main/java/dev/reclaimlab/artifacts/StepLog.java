package dev.reclaimlab.artifacts;

import dev.reclaimlab.local.Json;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The step log, one JSON object per line, flushed after each step. It is written as {@code steps.jsonl.partial}
 * and renamed to {@code steps.jsonl} when the run ends, so a crashed run's log is visibly incomplete.
 */
public final class StepLog implements AutoCloseable {
    private final Path partial;
    private final Path complete;
    private final BufferedWriter writer;

    public StepLog(Path runRoot) throws IOException {
        this.complete = runRoot.resolve(RunLayout.STEPS);
        this.partial = runRoot.resolve(RunLayout.STEPS_PARTIAL);
        this.writer = Files.newBufferedWriter(partial, StandardCharsets.UTF_8);
    }

    public synchronized void append(StepRecord record) {
        try {
            writer.write(Json.line(record));
            writer.write('\n');
            writer.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the step log " + partial, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        writer.close();
        if (Files.exists(partial)) {
            Files.move(partial, complete, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
