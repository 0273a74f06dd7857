package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.EventLayout;
import dev.reclaimlab.trace.FieldLayout;
import dev.reclaimlab.trace.PrintFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where each value the analysis needs lies in a binary record: the binary counterpart of {@link EventFields}, taken
 * from the capture's own format files (ids, offsets and sizes change with every kernel and boot; nothing is assumed).
 * Events are found by the id in {@code common_type}; a field this kernel's event lacks is null, and its records are
 * then skipped as missing a value, as a text line without the label is.
 */
final class RecordFields {
    /** One event type of the capture. */
    static final class Event {
        /** Index in {@link Stats#KNOWN_EVENTS}, or -1 for an event that is only counted. */
        final int known;
        final String name;
        final FieldLayout pid;
        /** memcg/direct end: nr_reclaimed; lru: nr_scanned. */
        final FieldLayout first;
        /** lru: nr_reclaimed; slab end: retval. */
        final FieldLayout second;
        /** lru: priority. */
        final FieldLayout priority;
        /** lru: reclaim_flags; slab: the shrinker's scan function ({@code %pS}). */
        final FieldLayout flagsOrShrink;
        /** lru: the bits its print fmt names RECLAIM_WB_ANON and RECLAIM_WB_FILE (0: not named). */
        final long anonBit;
        final long fileBit;

        Event(EventLayout layout, int known) {
            this.known = known;
            this.name = layout.name();
            this.pid = layout.field("common_pid");
            switch (known) {
                case Stats.MEMCG_END, Stats.DIRECT_END -> {
                    first = layout.field("nr_reclaimed");
                    second = null;
                    priority = null;
                    flagsOrShrink = null;
                }
                case Stats.SLAB_START, Stats.SLAB_END -> {
                    first = null;
                    second = known == Stats.SLAB_END ? layout.field("retval") : null;
                    priority = null;
                    flagsOrShrink = layout.field("shrink");
                }
                case Stats.LRU_SHRINK_INACTIVE -> {
                    first = layout.field("nr_scanned");
                    second = layout.field("nr_reclaimed");
                    priority = layout.field("priority");
                    flagsOrShrink = layout.field("reclaim_flags");
                }
                default -> {
                    first = null;
                    second = null;
                    priority = null;
                    flagsOrShrink = null;
                }
            }
            Map<String, Long> flags = known == Stats.LRU_SHRINK_INACTIVE
                    ? PrintFormat.flags(layout.printFmt(), "reclaim_flags") : Map.of();
            anonBit = flags.getOrDefault("RECLAIM_WB_ANON", 0L);
            fileBit = flags.getOrDefault("RECLAIM_WB_FILE", 0L);
        }
    }

    private final Event[] byId;
    /** Events whose layouts came from the capture's format files (all of them do; for metrics' {@code formats}). */
    private final List<String> known;

    private RecordFields(Event[] byId, List<String> known) {
        this.byId = byId;
        this.known = known;
    }

    static RecordFields from(Map<Integer, EventLayout> layouts) {
        int max = layouts.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
        Event[] byId = new Event[max + 1];
        List<String> known = new ArrayList<>();
        for (EventLayout layout : layouts.values()) {
            byId[layout.id()] = new Event(layout, Arrays.asList(Stats.KNOWN_EVENTS).indexOf(layout.name()));
        }
        // the events whose values are read from fields, named in the order EventFields names them for text
        for (int k : new int[] {Stats.MEMCG_END, Stats.DIRECT_END, Stats.LRU_SHRINK_INACTIVE, Stats.SLAB_END}) {
            if (layouts.values().stream().anyMatch(l -> l.name().equals(Stats.KNOWN_EVENTS[k]))) {
                known.add(Stats.KNOWN_EVENTS[k]);
            }
        }
        return new RecordFields(byId, List.copyOf(known));
    }

    /** The event of records with {@code common_type == id}, or null when the capture has no format for it. */
    Event event(int id) {
        return id < byId.length ? byId[id] : null;
    }

    /** How many ids there can be (for tables indexed by id). */
    int ids() {
        return byId.length;
    }

    List<String> fromFormats() {
        return known;
    }
}
