package dev.reclaimlab.run;

import java.nio.file.Path;

/**
 * How a run ended, for the command line.
 *
 * @param status the manifest's status word
 */
public record RunResult(Path dir, String status, Path manifest, Path report) {}
