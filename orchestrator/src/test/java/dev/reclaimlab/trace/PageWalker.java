package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tests' own count of the events in raw ring-buffer pages (little-endian kernels), walked as the kernel lays them
 * out: an independent witness for what trace-cmd reports of a trace.dat. It only counts; lab's decoder does the rest.
 */
final class PageWalker {
    private static final int COMMIT_MASK = (1 << 27) - 1;
    private static final int PADDING = 29;
    private static final int TIME_EXTEND = 30;
    private static final int TIME_STAMP = 31;
    private static final Pattern ID = Pattern.compile("(?m)^ID:\\s*(\\d+)");
    private static final Pattern NAME = Pattern.compile("(?m)^name:\\s*(\\S+)");

    private PageWalker() {}

    /** Events by {@code common_type}, in the pages of {@code file}. */
    static Map<Integer, Integer> countByType(Path file, HeaderPage layout) throws IOException {
        ByteBuffer pages = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int page = 0; page + layout.pageSize() <= pages.limit(); page += layout.pageSize()) {
            long commit = layout.commitSize() == 8 ? pages.getLong(page + 8) : pages.getInt(page + 8);
            int at = page + layout.dataOffset();
            int end = at + (int) (commit & COMMIT_MASK);
            while (at < end) {
                int word = pages.getInt(at);
                int type = word & 0x1f;
                int delta = word >>> 5;
                if (type == PADDING) {
                    if (delta == 0) {
                        break; // the rest of the page is unused
                    }
                    at += 4 + pages.getInt(at + 4); // a discarded event
                } else if (type == TIME_EXTEND || type == TIME_STAMP) {
                    at += 8;
                } else if (type == 0) {
                    // a long event: its length (itself included) in array[0], the payload after it
                    counts.merge(pages.getShort(at + 8) & 0xffff, 1, Integer::sum);
                    at += 4 + pages.getInt(at + 4);
                } else {
                    counts.merge(pages.getShort(at + 4) & 0xffff, 1, Integer::sum);
                    at += 4 + 4 * type;
                }
            }
        }
        return counts;
    }

    /** Event name by id, from format texts. */
    static Map<Integer, String> names(Iterable<String> formats) {
        Map<Integer, String> names = new TreeMap<>();
        for (String format : formats) {
            Matcher id = ID.matcher(format);
            Matcher name = NAME.matcher(format);
            if (id.find() && name.find()) {
                names.put(Integer.parseInt(id.group(1)), name.group(1));
            }
        }
        return names;
    }
}
