/**
 * Kernel modules: templates rendered per kernel, cross-builds for lab vm guests, patch points read from the
 * running kernel, and the steps that load, check and unload modules.
 */
package dev.reclaimlab.kmod;
