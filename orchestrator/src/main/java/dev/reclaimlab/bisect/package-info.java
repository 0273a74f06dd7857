/**
 * {@code lab bisect}: finds the first of an ordered list of candidate kernels on which a plan's regression shows.
 * Both endpoints are measured first and must separate on a stable metric; each candidate gets repeats and a three-way
 * verdict against both endpoints; candidates that cannot be booted or judged are skipped; every sample is kept in
 * {@code bisect.json}, from which the path, the answer and the report are recomputed after a crash or offline.
 */
package dev.reclaimlab.bisect;
