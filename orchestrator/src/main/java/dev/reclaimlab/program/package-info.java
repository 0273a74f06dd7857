/**
 * A plan made into the program one host runs: what the host lacks, its modules, its steps
 * ({@link dev.reclaimlab.program.HostPreparation}, used by both {@code lab run} and {@code lab plan}).
 */
package dev.reclaimlab.program;
