package dev.reclaimlab.artifacts;

/**
 * One line of {@code steps.jsonl}: a command as it ran on a host and what came of it.
 *
 * @param iteration {@code swappiness=100 r1}, or {@code run} for run-wide steps
 * @param journal   the journal entry that holds the step's undo, if it has one
 */
public record StepRecord(String host, String iteration, String step, String description, String command,
                         String undo, String journal, String startedAt, long durationMs, int exitCode,
                         boolean timedOut, String stdout, String stderr) {}
