/**
 * Run directories into reports: comparisons with significance, the plan's verdict, report.html, summary.json
 * and junit.xml.
 */
package dev.reclaimlab.report;
