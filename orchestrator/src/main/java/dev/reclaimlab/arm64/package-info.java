/**
 * ARM64 instruction encoding, for the instructions patch plans expect and write.
 */
package dev.reclaimlab.arm64;
