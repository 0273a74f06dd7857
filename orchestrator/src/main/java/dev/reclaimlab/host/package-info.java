/**
 * Test hosts: the inventory, what kind each host is ({@link dev.reclaimlab.host.HostKind}), the read-only facts
 * probe, the local and SSH transports, file transfer, and the sh scripts lab runs on hosts (lib.sh, facts.sh).
 */
package dev.reclaimlab.host;
