/**
 * The orchestrator's own machine: {@code $LAB_HOME}, file locks, local programs, atomic writes, the JSON lab
 * writes. (Not the test host named {@code local}: that one is a {@code host}.)
 */
package dev.reclaimlab.local;
