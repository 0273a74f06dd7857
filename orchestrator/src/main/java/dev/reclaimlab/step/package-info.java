/**
 * The unit of work on a host: a {@link dev.reclaimlab.step.Step} (one command and its undo), the
 * {@link dev.reclaimlab.step.Journal} that records undos before anything changes, and where a run lives on a host.
 */
package dev.reclaimlab.step;
