/**
 * Booting real hosts (and VMs that boot like them) through their own boot loader: a GRUB menu entry booted once
 * ({@link dev.reclaimlab.loader.LoaderBootMethod}), every change journaled on the host's persistent storage before it is
 * made, and the reboot ladder that brings a host back — a reboot over SSH, then power control, then the host is lost
 * ({@link dev.reclaimlab.loader.RebootLadder}).
 */
package dev.reclaimlab.loader;
