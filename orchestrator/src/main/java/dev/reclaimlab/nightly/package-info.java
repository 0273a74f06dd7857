/**
 * {@code lab nightly}: a plan run on a kernel (the newest, or one named), judged metric by metric against a baseline
 * pooled from accepted runs, regressions tracked in the results database from first seen to fixed, and told once per
 * change of state by webhook; JUnit XML and exit codes for the CI job that runs it.
 */
package dev.reclaimlab.nightly;
