/**
 * The results database: every run lab makes, indexed per iteration and metric (SQLite under {@code $LAB_HOME}, or a
 * lab's shared PostgreSQL), baselines, regressions tracked from first seen to fixed, host leases, and the trend pages
 * of {@code lab history}.
 */
package dev.reclaimlab.history;
