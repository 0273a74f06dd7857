/**
 * {@code lab vm}: emulated ARM64 hosts, a Debian arm64 kernel under QEMU, prepared from Debian's packages.
 */
package dev.reclaimlab.vm;
