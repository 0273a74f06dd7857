/**
 * The experiment plan: its records and the loader that checks a plan file and resolves its variants.
 */
package dev.reclaimlab.plan;
