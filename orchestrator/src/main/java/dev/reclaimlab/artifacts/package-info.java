/**
 * The run directory: every name in it ({@link dev.reclaimlab.artifacts.RunLayout}), the manifest records and
 * statuses that writers and readers share, the step log, and the CSV files hosts write. Imports nothing above it.
 */
package dev.reclaimlab.artifacts;
