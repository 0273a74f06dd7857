/**
 * The {@code lab} command: one class per subcommand, on top of everything else.
 */
package dev.reclaimlab.cli;
