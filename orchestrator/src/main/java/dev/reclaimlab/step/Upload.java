package dev.reclaimlab.step;

import java.nio.file.Path;

/**
 * A file from the orchestrator to put on the host before the iterations (e.g. a module built for the host's kernel).
 * It goes into the run's work directory, so the work directory's undo removes it.
 */
public record Upload(Path localPath, String remotePath, String description) {}
