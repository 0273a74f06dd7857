/**
 * YAML read with positions, so every problem in a plan or an inventory is reported as file:line:column.
 */
package dev.reclaimlab.yaml;
