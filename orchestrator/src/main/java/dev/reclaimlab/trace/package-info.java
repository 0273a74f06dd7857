/**
 * Tracing: the steps that record vmscan events in a tracefs instance of the run's own, and reading trace files.
 */
package dev.reclaimlab.trace;
