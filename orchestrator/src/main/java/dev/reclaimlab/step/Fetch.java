package dev.reclaimlab.step;

/**
 * A file to bring back from the host into the run directory.
 *
 * @param optional a missing file is not an error (e.g. PSI samples on a kernel without PSI)
 */
public record Fetch(String remotePath, String localPath, boolean optional) {}
