package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.Bytes;
import dev.reclaimlab.trace.EventFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each value the analysis needs is printed in an event's text: the label that precedes it. Taken from the
 * trace's own format files when {@code lab run} saved them (so a kernel that words a field differently is still read
 * right), otherwise the layout every kernel from 4.18 to 6.18 shares. Values are then found by searching for the
 * label, which copes with fields a kernel adds or drops around them ({@code may_writepage}, {@code classzone_idx},
 * {@code nid:}).
 *
 * @param memcgNrReclaimed   {@code mm_vmscan_memcg_reclaim_end}: {@code nr_reclaimed}
 * @param directNrReclaimed  {@code mm_vmscan_direct_reclaim_end}: {@code nr_reclaimed}
 * @param lruNrScanned       {@code mm_vmscan_lru_shrink_inactive}: {@code nr_scanned}
 * @param lruNrReclaimed     ... {@code nr_reclaimed}
 * @param lruPriority        ... {@code priority}
 * @param lruFlags           ... {@code reclaim_flags} (printed as {@code flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC})
 * @param slabFreed          {@code mm_shrink_slab_end}: {@code retval}, the objects the call freed
 * @param fromFormats        events whose labels came from format files
 */
record EventFields(byte[] memcgNrReclaimed, byte[] directNrReclaimed, byte[] lruNrScanned, byte[] lruNrReclaimed,
                   byte[] lruPriority, byte[] lruFlags, byte[] slabFreed, List<String> fromFormats) {
    public EventFields {
        fromFormats = List.copyOf(fromFormats);
    }


    static EventFields from(Map<String, EventFormat> formats) {
        List<String> used = new ArrayList<>();
        Lookup memcgEnd = new Lookup(formats, "mm_vmscan_memcg_reclaim_end", used);
        Lookup directEnd = new Lookup(formats, "mm_vmscan_direct_reclaim_end", used);
        Lookup lru = new Lookup(formats, "mm_vmscan_lru_shrink_inactive", used);
        Lookup slabEnd = new Lookup(formats, "mm_shrink_slab_end", used);
        return new EventFields(memcgEnd.label("nr_reclaimed", "nr_reclaimed="),
                directEnd.label("nr_reclaimed", "nr_reclaimed="), lru.label("nr_scanned", "nr_scanned="),
                lru.label("nr_reclaimed", "nr_reclaimed="), lru.label("priority", "priority="),
                lru.label("reclaim_flags", "flags="), slabEnd.label("retval", "last shrinker return val "),
                List.copyOf(used));
    }

    /** One event's format file, if there is one. */
    private static final class Lookup {
        private final EventFormat format;
        private final String event;
        private final List<String> used;

        Lookup(Map<String, EventFormat> formats, String event, List<String> used) {
            this.format = formats.get(event);
            this.event = event;
            this.used = used;
        }

        /**
         * The label the format file gives the field, trimmed of the separator before it; the built-in one when there
         * is no file, the field is not printed, or its label says nothing (just punctuation).
         */
        byte[] label(String field, String builtIn) {
            String label = format == null ? null : format.labels().get(field);
            if (label != null) {
                label = label.stripLeading();
            }
            if (label == null || label.chars().noneMatch(Character::isLetter)) {
                return Bytes.ascii(builtIn);
            }
            if (!used.contains(event)) {
                used.add(event);
            }
            return Bytes.ascii(label);
        }
    }
}
