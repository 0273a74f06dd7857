package dev.reclaimlab.trace;

/**
 * What a {@link CpuRecords} met while decoding one CPU's pages: how much there was, the time stamps it handled, and
 * every kind of damage it counted and skipped. Mutable while decoding; {@link #add} sums CPUs.
 */
public final class PageDamage {
    /** Pages read (a short last page included). */
    public long pages;
    /** Data records handed out. */
    public long records;
    /** Discarded events (padding with a delta) skipped; their delta added to the time, as libtraceevent does. */
    public long discarded;
    /** TIME_EXTEND items. */
    public long timeExtends;
    /** TIME_STAMP (absolute) items. */
    public long timeStamps;
    /** A last page shorter than a page: the capture was cut (its whole events still decoded). */
    public long truncatedPages;
    /** Pages whose commit says more data than a page holds: garbage, skipped whole. */
    public long badCommitPages;
    /** Pages cut short by an event that cannot be (a length past the commit, or zero): the rest of the page skipped. */
    public long badEvents;
    /** Bytes of page data skipped because of the two above. */
    public long skippedBytes;
    /** Pages that say events were lost before them (RB_MISSED_EVENTS). */
    public long missedPages;
    /** ... of which the count was not stored (RB_MISSED_STORED unset) or could not be read. */
    public long missedUnknown;
    /** The sum of the stored counts. */
    public long lostEvents;
    /** Stored counts beyond belief (a wrapped or corrupt long): the page counts as "unknown" instead. */
    public long implausibleLostCounts;

    /** Damage that made input unreadable: the decoder's equivalent of a skipped line. */
    public long damaged() {
        return truncatedPages + badCommitPages + badEvents + implausibleLostCounts;
    }

    public void add(PageDamage o) {
        pages += o.pages;
        records += o.records;
        discarded += o.discarded;
        timeExtends += o.timeExtends;
        timeStamps += o.timeStamps;
        truncatedPages += o.truncatedPages;
        badCommitPages += o.badCommitPages;
        badEvents += o.badEvents;
        skippedBytes += o.skippedBytes;
        missedPages += o.missedPages;
        missedUnknown += o.missedUnknown;
        lostEvents = lostEvents + o.lostEvents < 0 ? Long.MAX_VALUE : lostEvents + o.lostEvents;
        implausibleLostCounts += o.implausibleLostCounts;
    }
}
