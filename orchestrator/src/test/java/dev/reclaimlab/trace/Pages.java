package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds ring-buffer pages byte by byte as the kernel lays them out (tracedat-format.md §2), in either byte order, for
 * tests; and decodes files of them into plain values to compare.
 */
public final class Pages {
    private final ByteOrder order;
    private final HeaderPage header;
    private final ByteBuffer page;
    private int pos;
    private long flags;
    private Long storedLost;

    public Pages(ByteOrder order, HeaderPage header, long pageTs) {
        this.order = order;
        this.header = header;
        this.page = ByteBuffer.allocate(header.pageSize()).order(order);
        page.putLong(header.timestampOffset(), pageTs);
        pos = header.dataOffset();
    }

    public static Pages le(long ts) {
        return new Pages(ByteOrder.LITTLE_ENDIAN, HeaderPage.X86_64, ts);
    }

    public static Pages be(long ts) {
        return new Pages(ByteOrder.BIG_ENDIAN, HeaderPage.X86_64, ts);
    }

    /** The event header word: {@code type_len:5, time_delta:27} as a C bitfield in this byte order. */
    public Pages word(int typeLen, long delta) {
        int w = order == ByteOrder.BIG_ENDIAN ? typeLen << 27 | (int) (delta & 0x7ffffff)
                : (int) (delta << 5) | typeLen;
        page.putInt(pos, w);
        pos += 4;
        return this;
    }

    public Pages u32(long v) {
        page.putInt(pos, (int) v);
        pos += 4;
        return this;
    }

    /** A record with {@code common_type = id}, {@code common_pid = pid}, then {@code payload} words; small form. */
    public Pages event(long delta, int id, int pid, long... longs) {
        int bytes = 8 + 8 * longs.length;
        word(bytes / 4, delta);
        payload(id, pid, longs);
        return this;
    }

    /** The same record in the {@code type_len == 0} form (length in array[0]). */
    public Pages bigEvent(long delta, int id, int pid, long... longs) {
        int bytes = 8 + 8 * longs.length;
        word(0, delta);
        u32(bytes + 4);
        payload(id, pid, longs);
        return this;
    }

    /**
     * A record with these payload bytes (padded to 4), in the small form when it fits (at most 112 bytes) and with
     * the length in array[0] otherwise, as the kernel chooses.
     */
    public Pages record(long delta, byte[] payload) {
        int padded = (payload.length + 3) & ~3;
        if (padded <= 4 * 28) {
            word(padded / 4, delta);
        } else {
            word(0, delta);
            u32(padded + 4);
        }
        page.position(pos);
        page.put(payload);
        page.position(0);
        pos += padded;
        return this;
    }

    /** Bytes left for items on this page (a stored lost count takes 8 of them). */
    public int room() {
        return header.pageSize() - pos - (storedLost != null ? 8 : 0);
    }

    private void payload(int id, int pid, long[] longs) {
        page.putShort(pos, (short) id);
        page.putInt(pos + 4, pid);
        pos += 8;
        for (long l : longs) {
            page.putLong(pos, l);
            pos += 8;
        }
    }

    public Pages extend(long delta) {
        word(CpuRecords.TIME_EXTEND, delta & 0x7ffffff);
        return u32(delta >>> 27);
    }

    public Pages stamp(long abs) {
        word(CpuRecords.TIME_STAMP, abs & 0x7ffffff);
        return u32((abs >>> 27) & 0xffffffffL);
    }

    /** A discarded event of {@code bytes} (header included) with a time delta. */
    public Pages discarded(long delta, int bytes) {
        word(CpuRecords.PADDING, delta);
        u32(bytes - 4);
        pos += bytes - 8;
        return this;
    }

    public Pages missed(Long count) {
        flags |= CpuRecords.MISSED_EVENTS | (count != null ? CpuRecords.MISSED_STORED : 0);
        storedLost = count;
        return this;
    }

    /** The finished page; {@code commit} overrides the data length written (for damage). */
    public byte[] bytes(Long commit) {
        long used = commit != null ? commit : pos - header.dataOffset();
        page.putLong(header.commitOffset(), used | flags);
        if (storedLost != null) {
            page.putLong(pos, storedLost);
        }
        return page.array().clone();
    }

    public byte[] bytes() {
        return bytes(null);
    }

    public int pos() {
        return pos;
    }

    /** One decoded item, as plain values. */
    record Item(CpuRecords.Item kind, long ts, int type, int pid, long lost, int length) {}

    static Path write(Path dir, byte[]... pages) throws IOException {
        Path f = Files.createTempFile(dir, "cpu", ".raw");
        for (byte[] p : pages) {
            Files.write(f, p, StandardOpenOption.APPEND);
        }
        return f;
    }

    static List<Item> decode(Path file, ByteOrder order, PageDamage[] damageOut) throws IOException {
        List<Item> out = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            CpuRecords r = new CpuRecords(0, HeaderPage.X86_64, order, ch, 0, ch.size());
            for (CpuRecords.Item item; (item = r.next()) != CpuRecords.Item.END; ) {
                if (item == CpuRecords.Item.LOST) {
                    out.add(new Item(item, r.timestamp(), -1, -1, r.lostCount(), 0));
                } else {
                    ByteBuffer b = r.buffer();
                    out.add(new Item(item, r.timestamp(), b.getShort(r.recordOffset()) & 0xffff,
                            b.getInt(r.recordOffset() + 4), 0, r.recordLength()));
                }
            }
            if (damageOut != null) {
                damageOut[0] = r.damage();
            }
        }
        return out;
    }
}
