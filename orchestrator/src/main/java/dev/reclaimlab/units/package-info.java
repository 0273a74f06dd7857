/**
 * Sizes and durations as plans and inventories write them.
 */
package dev.reclaimlab.units;
