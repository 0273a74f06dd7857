package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * A cursor over one CPU's ring-buffer pages (what {@code per_cpu/cpuN/trace_pipe_raw} returned), decoded exactly as the
 * kernel lays them out (the page header and {@code struct ring_buffer_event} of kernel/trace/ring_buffer.c): one
 * page-sized buffer is read at a time, never the whole region, so memory does not grow with the capture. {@link #next}
 * steps to the next item, which is either a data record ({@link Item#RECORD}: its bytes are in {@link #buffer()} at
 * {@link #recordOffset()}, valid until the next step) or a lost-events mark ({@link Item#LOST}), which comes before
 * the first record of the page that reported the loss.
 *
 * <p>Pages come from untrusted files: every length is checked against the page, whatever cannot be decoded is counted
 * in {@link #damage()} and skipped, and nothing malformed throws. Only a failing read of the file does.
 *
 * <p>A cursor may cover one {@link CaptureSlices.Slice time slice} of the capture, so that slices are analysed in
 * parallel: it hands out only the items whose time lies in the slice, and counts page-level damage only for the pages
 * the slice owns (those that start in it); items of a page that began in the slice before are its lead-in, decoded
 * for their time only. That split is exact only while time never runs backwards on the CPU, which {@link
 * #outOfOrder()} reports, so that the caller can analyse the whole capture in one pass instead.
 */
public final class CpuRecords {
    /** What {@link #next} stepped to. */
    public enum Item { RECORD, LOST, END }

    /** {@code commit}'s bits that count data bytes (libtraceevent's COMMIT_MASK). */
    static final long COMMIT_MASK = (1L << 27) - 1;
    /** Events were lost before this page. */
    static final long MISSED_EVENTS = 1L << 31;
    /** ... and their count is stored, long-sized, just after the data. */
    static final long MISSED_STORED = 1L << 30;
    static final int PADDING = 29;
    static final int TIME_EXTEND = 30;
    static final int TIME_STAMP = 31;
    /** The top 5 bits of a time: an absolute TIME_STAMP holds only 59 bits and takes these from the running time. */
    static final long TS_MSB = 0xf8L << 56;
    /** A stored lost count above this is a corrupt long, not a loss (a day of 10 million events a second is 2^40). */
    static final long MAX_LOST = 1L << 40;
    private static final int TAKE = 0;
    private static final int SKIP = 1;
    private static final int STOP = 2;
    /** What {@link #lostCount} says when the page only flagged the loss. */
    public static final long UNKNOWN = -1;

    private final int cpu;
    private final HeaderPage header;
    private final boolean bigEndian;
    private final FileChannel file;
    private final long regionEnd;
    /** Pages before this offset belong to the slice before: their damage is not counted here, their items are. */
    private final long ownedFrom;
    /** Items before this time belong to the slice before, items from {@link #to} on to the slice after. */
    private final long from;
    private final long to;
    private long nextPage;
    private boolean pageOwned;
    private boolean outOfOrder;
    private long lastTs = Long.MIN_VALUE;
    private long lastOwnedPageTs = Long.MIN_VALUE;
    private final ByteBuffer page;
    private final PageDamage damage = new PageDamage();

    /** Decoding state of the current page. */
    private boolean pageLoaded;
    private int pos;
    private int end;
    private long ts;
    private long pendingLost;
    private boolean lostPending;
    private long pageTs;

    private int recordOffset;
    private int recordLength;
    private long itemTs;
    private long lostCount;
    private Item current = Item.END;

    /**
     * @param cpu    the CPU the pages are of (carried into what it reports)
     * @param header the page layout
     * @param order  the traced kernel's byte order
     * @param file   an open file holding the pages; read with positional reads, so several cursors may share it
     * @param offset where this CPU's pages start in it
     * @param length how many bytes they take (a multiple of the page size unless the capture was cut)
     */
    public CpuRecords(int cpu, HeaderPage header, ByteOrder order, FileChannel file, long offset, long length) {
        this(cpu, header, order, file, offset, length, offset, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * A cursor over the items of one time slice, {@code [from, to)}: the pages from {@code offset} for {@code length}
     * bytes, of which those before {@code ownedFrom} are the lead-in (see the class comment).
     */
    public CpuRecords(int cpu, HeaderPage header, ByteOrder order, FileChannel file, long offset, long length,
                      long ownedFrom, long from, long to) {
        this.ownedFrom = ownedFrom;
        this.from = from;
        this.to = to;
        this.cpu = cpu;
        this.header = header;
        this.bigEndian = order == ByteOrder.BIG_ENDIAN;
        this.file = file;
        this.nextPage = offset;
        this.regionEnd = offset + length;
        // never more than the region holds: a forged header_page cannot make every CPU allocate a huge page
        this.page = ByteBuffer.allocate((int) Math.min(header.pageSize(), length)).order(order);
    }

    public int cpu() {
        return cpu;
    }

    public PageDamage damage() {
        return damage;
    }

    /** The page being decoded: a record's bytes lie in it from {@link #recordOffset} for {@link #recordLength}. */
    public ByteBuffer buffer() {
        return page;
    }

    public int recordOffset() {
        return recordOffset;
    }

    public int recordLength() {
        return recordLength;
    }

    /** The item's time in trace-clock units: a record's time stamp, or for a loss the time stamp of its page. */
    public long timestamp() {
        return itemTs;
    }

    /** For {@link Item#LOST}: how many events were lost, or {@link #UNKNOWN}. */
    public long lostCount() {
        return lostCount;
    }

    /**
     * Time ran backwards on this CPU (a later item earlier than one before it, or a page earlier than the page before
     * or outside the slice): a split into slices may then have put items on the wrong side of a boundary.
     */
    public boolean outOfOrder() {
        return outOfOrder;
    }

    /** What the last {@link #next} stepped to. */
    public Item item() {
        return current;
    }

    /** Steps to the next record or lost-events mark; {@link Item#END} when the pages are used up. */
    public Item next() throws IOException {
        current = step();
        return current;
    }

    private Item step() throws IOException {
        while (true) {
            if (!pageLoaded && !loadPage()) {
                return Item.END;
            }
            if (lostPending) {
                lostPending = false;
                lostCount = pendingLost;
                itemTs = pageTs;
                return Item.LOST;
            }
            if (nextItem()) {
                return Item.RECORD;
            }
            pageLoaded = false;
        }
    }

    /** Reads the next page and its header; false when there is none left. */
    private boolean loadPage() throws IOException {
        while (nextPage < regionEnd) {
            int want = (int) Math.min(page.capacity(), regionEnd - nextPage);
            page.clear().limit(want);
            long at = nextPage;
            while (page.hasRemaining()) {
                int n = file.read(page, at + page.position());
                if (n < 0) {
                    break; // the file shrank under us: what was read is a truncated page
                }
            }
            nextPage += want;
            int got = page.position();
            pageOwned = at >= ownedFrom;
            if (pageOwned) {
                damage.pages++;
            }
            if (got < header.pageSize()) {
                if (pageOwned) {
                    damage.truncatedPages++;
                }
                if (got < header.dataOffset()) {
                    continue; // not even a header
                }
            }
            if (startPage(got)) {
                return true;
            }
        }
        return false;
    }

    /** Sets up decoding of a page of which {@code available} bytes were read; false if it is garbage. */
    private boolean startPage(int available) {
        long commit = header.commitSize() == 8 ? page.getLong(header.commitOffset())
                : page.getInt(header.commitOffset()) & 0xffff_ffffL;
        long used = commit & COMMIT_MASK;
        if (used > header.dataSize()) {
            if (pageOwned) {
                damage.badCommitPages++;
                damage.skippedBytes += available - header.dataOffset();
            }
            return false;
        }
        pageTs = page.getLong(header.timestampOffset());
        ts = pageTs;
        pos = header.dataOffset();
        end = (int) Math.min(header.dataOffset() + used, available);
        pageLoaded = true;
        if (pageOwned) {
            if (pageTs < lastOwnedPageTs || pageTs < from || pageTs >= to) {
                outOfOrder = true;
            }
            lastOwnedPageTs = pageTs;
        }
        lostPending = pageOwned && (commit & MISSED_EVENTS) != 0;
        if (lostPending) {
            damage.missedPages++;
            pendingLost = storedLost(commit, used, available);
            if (pendingLost == UNKNOWN) {
                damage.missedUnknown++;
            } else {
                damage.lostEvents = damage.lostEvents + pendingLost < 0 ? Long.MAX_VALUE
                        : damage.lostEvents + pendingLost;
            }
        }
        return true;
    }

    /** The lost count stored just after the data, or {@link #UNKNOWN}. */
    private long storedLost(long commit, long used, int available) {
        if ((commit & MISSED_STORED) == 0) {
            return UNKNOWN;
        }
        long at = header.dataOffset() + used;
        if (at + header.commitSize() > available) {
            damage.implausibleLostCounts++;
            return UNKNOWN;
        }
        long count = header.commitSize() == 8 ? page.getLong((int) at) : page.getInt((int) at) & 0xffff_ffffL;
        if (count < 0 || count > MAX_LOST) {
            damage.implausibleLostCounts++;
            return UNKNOWN;
        }
        return count;
    }

    /** Decodes items of the page up to its next data record; false at the end of the page. */
    private boolean nextItem() {
        while (pos < end) {
            if (end - pos < 4) {
                return badEvent();
            }
            int word = page.getInt(pos);
            int typeLen = bigEndian ? word >>> 27 : word & 0x1f;
            long delta = bigEndian ? word & 0x7ff_ffff : word >>> 5;
            switch (typeLen) {
                case PADDING -> {
                    if (delta == 0) {
                        pos = end; // the rest of the page is unused
                        return false;
                    }
                    // a discarded event: skip it, but add its delta, as libtraceevent (and so trace-cmd) does
                    long length = end - pos >= 8 ? 4 + (page.getInt(pos + 4) & 0xffff_ffffL) : -1;
                    if (length < 8 || length > end - pos) {
                        return badEvent();
                    }
                    int where = place(ts + delta);
                    if (where == STOP) {
                        return stop();
                    }
                    ts += delta;
                    pos += (int) length;
                    if (where == TAKE) {
                        damage.discarded++;
                    }
                }
                case TIME_EXTEND, TIME_STAMP -> {
                    if (end - pos < 8) {
                        return badEvent();
                    }
                    long value = (page.getInt(pos + 4) & 0xffff_ffffL) << 27 | delta;
                    long next = typeLen == TIME_EXTEND ? ts + value : value | ts & TS_MSB;
                    int where = place(next);
                    if (where == STOP) {
                        return stop();
                    }
                    ts = next;
                    pos += 8;
                    if (where == TAKE && typeLen == TIME_EXTEND) {
                        damage.timeExtends++;
                    } else if (where == TAKE) {
                        damage.timeStamps++;
                    }
                }
                case 0 -> {
                    long length = end - pos >= 8 ? page.getInt(pos + 4) & 0xffff_ffffL : -1;
                    // array[0] counts itself and the payload: at least itself, and all inside the data
                    if (length < 4 || length > end - pos - 4) {
                        return badEvent();
                    }
                    int where = place(ts + delta);
                    if (where == STOP) {
                        return stop();
                    }
                    if (record(delta, pos + 8, (int) length - 4, 4 + (int) length, where)) {
                        return true;
                    }
                }
                default -> {
                    int length = 4 * typeLen;
                    if (length > end - pos - 4) {
                        return badEvent();
                    }
                    int where = place(ts + delta);
                    if (where == STOP) {
                        return stop();
                    }
                    if (record(delta, pos + 4, length, 4 + length, where)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Where an item whose time is {@code t} goes: {@link #TAKE} it, {@link #SKIP} it (lead-in) or {@link #STOP}. */
    private int place(long t) {
        if (t < lastTs) {
            outOfOrder = true;
        }
        lastTs = t;
        if (t >= to && to != Long.MAX_VALUE) {
            return STOP;
        }
        if (t < from) {
            if (pageOwned) {
                outOfOrder = true; // an owned page starts in the slice, and time only grows within a page
            }
            return SKIP;
        }
        return TAKE;
    }

    /** Steps over a record; true if it is handed out, false if it is lead-in. */
    private boolean record(long delta, int payload, int length, int size, int where) {
        ts += delta;
        pos += size;
        if (where == SKIP) {
            return false;
        }
        recordOffset = payload;
        recordLength = length;
        itemTs = ts;
        damage.records++;
        return true;
    }

    /** The slice after this one starts here: no more items for this cursor. */
    private boolean stop() {
        if (nextPage < regionEnd) {
            outOfOrder = true; // a later page of this slice starts before a time already seen
        }
        pos = end;
        nextPage = regionEnd;
        return false;
    }

    /** An item that cannot be: nothing after it on this page can be trusted. */
    private boolean badEvent() {
        int where = place(ts);
        if (where == STOP) {
            return stop();
        }
        if (where == TAKE) {
            damage.badEvents++;
            damage.skippedBytes += end - pos;
        }
        pos = end;
        return false;
    }
}
