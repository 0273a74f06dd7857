/**
 * A trace into metrics: one streaming pass, in parallel chunks, to {@code metrics.json}.
 */
package dev.reclaimlab.analysis;
