/**
 * POSIX sh quoting: every value that reaches a host passes through {@link dev.reclaimlab.shell.Sh}.
 */
package dev.reclaimlab.shell;
