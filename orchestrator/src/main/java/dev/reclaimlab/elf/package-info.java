/**
 * Reading ELF files: kernel modules and {@code /proc/kcore}.
 */
package dev.reclaimlab.elf;
