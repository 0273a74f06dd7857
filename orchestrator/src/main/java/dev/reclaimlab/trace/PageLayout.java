package dev.reclaimlab.trace;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a ring-buffer page keeps its commit word and its events, read from {@code events/header_page}: what sizes the
 * pages of a trace.dat and its {@code long} byte. Taken from the traced kernel's own description rather than assumed,
 * because 32-bit kernels have a 4-byte commit (data at 12) and kernels since 6.8 can have sub-buffers larger than a
 * memory page.
 *
 * @param commitSize the size of the {@code commit} field: the kernel's {@code long}
 * @param dataOffset where the events start in a page
 * @param dataSize   how many bytes of events a page can hold
 */
public record PageLayout(int commitSize, int dataOffset, int dataSize) {
    private static final Pattern FIELD = Pattern.compile(
            "field:\\s*[^;]*?\\b(commit|data)\\s*;\\s*offset:\\s*(\\d{1,9})\\s*;\\s*size:\\s*(\\d{1,9})\\s*;");

    /** A page: its header and then its events, the unit trace_pipe_raw hands out and trace.dat aligns to. */
    public int pageSize() {
        return dataOffset + dataSize;
    }

    /**
     * The layout in a {@code header_page} text.
     *
     * @throws IllegalArgumentException if it lacks the commit or data field, or gives sizes no kernel has
     */
    public static PageLayout parse(String headerPage) {
        int commitSize = -1;
        int dataOffset = -1;
        int dataSize = -1;
        Matcher m = FIELD.matcher(headerPage);
        while (m.find()) {
            int offset = Integer.parseInt(m.group(2));
            int size = Integer.parseInt(m.group(3));
            if (m.group(1).equals("commit")) {
                commitSize = size;
            } else {
                dataOffset = offset;
                dataSize = size;
            }
        }
        if (commitSize != 4 && commitSize != 8) {
            throw new IllegalArgumentException("header_page: expected a commit field of 4 or 8 bytes (the kernel's "
                    + "long), found " + (commitSize < 0 ? "none" : commitSize + " bytes"));
        }
        if (dataOffset < 0 || dataSize <= 0 || (long) dataOffset + dataSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("header_page: expected a data field with an offset and a size, found "
                    + (dataOffset < 0 ? "none" : "offset " + dataOffset + " size " + dataSize));
        }
        return new PageLayout(commitSize, dataOffset, dataSize);
    }
}
