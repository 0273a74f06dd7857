package dev.reclaimlab.analysis;

import java.util.Map;

/**
 * Metrics of one trace, written as {@code metrics.json} beside it.
 *
 * @param lines              lines read, headers included
 * @param events             event lines understood
 * @param skippedLines       lines that were neither headers nor events (cut or garbled)
 * @param eventCounts        events per name, e.g. {@code mm_vmscan_memcg_reclaim_begin -> 1045}
 * @param memcgReclaimBegin  {@code mm_vmscan_memcg_reclaim_begin} events
 * @param memcgReclaimEnd    {@code mm_vmscan_memcg_reclaim_end} events
 * @param anonShrinkInactive {@code mm_vmscan_lru_shrink_inactive} events whose flags say RECLAIM_WB_ANON
 * @param fileShrinkInactive {@code mm_vmscan_lru_shrink_inactive} events whose flags say RECLAIM_WB_FILE
 * @param lostEvents         events the kernel reported lost ({@code [LOST n EVENTS]})
 * @param firstTimestamp     seconds, trace clock; -1 without events
 * @param lastTimestamp      seconds, trace clock; -1 without events
 */
public record TraceMetrics(long lines, long events, long skippedLines, Map<String, Long> eventCounts,
                           long memcgReclaimBegin, long memcgReclaimEnd, long anonShrinkInactive,
                           long fileShrinkInactive, long lostEvents, double firstTimestamp, double lastTimestamp) {}
