package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a trace file into byte ranges that start and end at line boundaries, so each range can be parsed on its own
 * thread. Every line belongs to exactly one chunk, whatever the chunk size, which is what makes a parallel pass give
 * the single-threaded result.
 */
public final class TraceChunks {
    private static final int PROBE = 64 * 1024;

    /** Bytes {@code [start, end)} of the file, {@code index} in file order. */
    public record Chunk(int index, long start, long end) {
        public long length() {
            return end - start;
        }
    }

    private TraceChunks() {}

    /** Ranges of about {@code chunkBytes} each; each boundary moves forward to just after the next {@code \n}. */
    public static List<Chunk> split(FileChannel file, long chunkBytes) throws IOException {
        long size = file.size();
        List<Chunk> chunks = new ArrayList<>();
        long start = 0;
        while (start < size) {
            long end = start + Math.max(1, chunkBytes) >= size ? size : lineEndAfter(file, start + Math.max(1, chunkBytes) - 1, size);
            chunks.add(new Chunk(chunks.size(), start, end));
            start = end;
        }
        return chunks;
    }

    /** The position just after the first {@code \n} at or after {@code from}, or the file size. */
    private static long lineEndAfter(FileChannel file, long from, long size) throws IOException {
        ByteBuffer probe = ByteBuffer.allocate(PROBE);
        long pos = from;
        while (pos < size) {
            probe.clear();
            int n = file.read(probe, pos);
            if (n <= 0) {
                return size;
            }
            byte[] a = probe.array();
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    return pos + i + 1;
                }
            }
            pos += n;
        }
        return size;
    }
}
