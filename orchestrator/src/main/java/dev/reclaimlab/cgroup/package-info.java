/**
 * Memory cgroup steps, for cgroup v1 and v2.
 */
package dev.reclaimlab.cgroup;
