package dev.reclaimlab.report;

import java.util.Optional;

/**
 * The events an iteration's trace lost, as a share of all it should have held. A figure measured on a trace that
 * lost events is not a result: a lost end event turns a reclaim's latency into the gap, a lost second shows as no
 * reclaim. Reports put these first, in red, and verdicts refuse to judge past {@link #DEFAULT_LIMIT_PERCENT}.
 *
 * <p>The loss is the larger of what the trace itself recorded ({@code lost_events}: lost-events records, or pages
 * marked as following lost events) and what the ring buffer counted ({@code lost_events_ring_buffer}, overruns and
 * drops from its per-CPU stats): each can see losses the other cannot.
 *
 * @param lost  events lost
 * @param kept  events the trace holds
 */
public record LostEvents(long lost, long kept) {
    public static final double DEFAULT_LIMIT_PERCENT = 0.1;

    /** What {@code sample}'s trace lost; empty when it has no trace to speak of. */
    public static Optional<LostEvents> of(Sample sample) {
        Double kept = sample.values().get("events");
        if (kept == null) {
            return Optional.empty();
        }
        double inTrace = sample.values().getOrDefault("lost_events", 0.0);
        double inBuffer = sample.values().getOrDefault("lost_events_ring_buffer", 0.0);
        return Optional.of(new LostEvents((long) Math.max(inTrace, inBuffer), kept.longValue()));
    }

    /** Lost over lost plus kept, in percent; 0 for an empty trace that lost nothing. */
    public double percent() {
        long all = lost + kept;
        return all == 0 ? 0 : 100.0 * lost / all;
    }

    public boolean any() {
        return lost > 0;
    }

    public String describe() {
        return "lost " + Figures.number(lost) + " of " + Figures.number(lost + kept) + " events ("
                + Figures.share(percent()) + ")";
    }
}
