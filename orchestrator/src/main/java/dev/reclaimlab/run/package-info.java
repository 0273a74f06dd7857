/**
 * The run engine: hosts in parallel, each program's steps journaled and run over its transport, results
 * collected and analysed, everything torn down, the manifest kept current. Reports are its callers' business.
 */
package dev.reclaimlab.run;
