/**
 * Booting a host into a kernel and command line of the plan's choosing, and knowing whether it worked: what a boot
 * must show afterwards ({@link dev.reclaimlab.boot.BootExpectation}, {@link dev.reclaimlab.boot.BootCheck}) and
 * what the console says meanwhile ({@link dev.reclaimlab.boot.ConsoleWatch}). A kernel that fails to boot is
 * untestable; one that panics or hangs during the workload has produced that iteration's result.
 */
package dev.reclaimlab.boot;
