package dev.reclaimlab.trace;

import java.util.Optional;

/**
 * The layout of a ring-buffer page ({@code struct buffer_data_page}) as {@code events/header_page} describes it: a u64
 * timestamp, a long-sized {@code commit} (bytes of data used, plus the lost-events flags), then the data. Taken from the
 * file rather than assumed, because it changes with the kernel: {@code commit} and the lost-events count are 4 bytes and
 * data starts at 12 on 32-bit kernels, and since Linux 6.8 a sub-buffer may be larger than a memory page.
 *
 * @param timestampOffset where the page's u64 timestamp lies
 * @param commitOffset    where {@code commit} lies
 * @param commitSize      its size: the kernel's {@code long}, also the size of the stored lost-events count
 * @param dataOffset      where the events start
 * @param dataSize        how many bytes of events a page can hold
 */
public record HeaderPage(int timestampOffset, int commitOffset, int commitSize, int dataOffset, int dataSize) {
    /** The largest sub-buffer accepted: Linux allows up to 4 MiB; more is a corrupt header, not a kernel. */
    public static final int MAX_PAGE_SIZE = 64 << 20;

    /** The page size of a 64-bit kernel with 4 KiB sub-buffers, the common case (for tests and defaults). */
    public static final HeaderPage X86_64 = new HeaderPage(0, 8, 8, 16, 4080);

    /** What one read of {@code trace_pipe_raw} returns and one page of a trace.dat holds. */
    public int pageSize() {
        return dataOffset + dataSize;
    }

    /**
     * Reads {@code header_page}; empty when it lacks one of the three fields or describes a page no kernel makes: a
     * timestamp that is not 8 bytes (libtraceevent refuses those too), a commit that is not 4 or 8 bytes, fields that
     * overlap the data, or a page larger than {@link #MAX_PAGE_SIZE}.
     */
    /** {@link #parse}, or an exception saying what a header_page must hold. */
    public static HeaderPage require(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("header_page: expected an 8-byte timestamp, "
                + "a commit of 4 or 8 bytes (the kernel's long) and a data field after them, of at most "
                + MAX_PAGE_SIZE + " bytes"));
    }

    public static Optional<HeaderPage> parse(String text) {
        FieldLayout timestamp = null;
        FieldLayout commit = null;
        FieldLayout data = null;
        for (String line : text.split("\n")) {
            FieldLayout f = FieldLayout.parse(line);
            if (f == null) {
                continue;
            }
            switch (f.name()) {
                case "timestamp" -> timestamp = f;
                case "commit" -> commit = f;
                case "data" -> data = f;
                default -> { } // "overwrite" is a pseudo field sharing commit's bytes
            }
        }
        if (timestamp == null || commit == null || data == null || timestamp.size() != 8
                || commit.size() != 4 && commit.size() != 8 || data.size() <= 0
                || timestamp.offset() + 8 > data.offset() || commit.offset() + commit.size() > data.offset()
                || (long) data.offset() + data.size() > MAX_PAGE_SIZE) {
            return Optional.empty();
        }
        return Optional.of(new HeaderPage(timestamp.offset(), commit.offset(), commit.size(), data.offset(),
                data.size()));
    }
}
