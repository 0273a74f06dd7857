package dev.reclaimlab.trace;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Feeds the lines of one chunk to a {@link LineConsumer}, reading the file in blocks into a reused byte array
 * (positional reads, so several threads share one channel). Memory stays at one buffer per thread whatever the size
 * of the file or of its lines: a line longer than {@code maxLine} is not kept but reported as overlong, with its
 * first bytes and its length.
 */
public final class ChunkReader {
    /** Bytes of an overlong line that are kept to show what it was. */
    public static final int OVERLONG_SHOWN = 160;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Receives each line of a chunk, without its {@code \n}, in file order. */
    public interface LineConsumer {
        void line(byte[] buf, int start, int end);

        /** A line longer than the limit: {@code buf[start, end)} are its first bytes, {@code length} all of them. */
        void overlongLine(byte[] buf, int start, int end, long length);

        /** True when the consumer wants no more lines: the read ends at the next block (checked once per block). */
        default boolean stopped() {
            return false;
        }
    }

    private final byte[] buf;
    private final int maxLine;
    private final byte[] shown = new byte[OVERLONG_SHOWN];

    /** {@code bufferBytes} must exceed {@code maxLine}: every line that is kept must fit in the buffer. */
    public ChunkReader(int bufferBytes, int maxLine) {
        if (maxLine < 1 || bufferBytes <= maxLine) {
            throw new IllegalArgumentException("buffer " + bufferBytes + " must exceed the line limit " + maxLine);
        }
        this.buf = new byte[bufferBytes];
        this.maxLine = maxLine;
    }

    public void read(FileChannel file, TraceChunks.Chunk chunk, LineConsumer sink) throws IOException {
        long pos = chunk.start();
        int filled = 0;
        int lineStart = 0;
        boolean overlong = false;
        int shownLength = 0;
        long overlongLength = 0;
        while (!sink.stopped()) {
            if (lineStart > 0) {
                System.arraycopy(buf, lineStart, buf, 0, filled - lineStart);
                filled -= lineStart;
                lineStart = 0;
            }
            int scanFrom = filled;
            int want = (int) Math.min(buf.length - filled, chunk.end() - pos);
            int got = want > 0 ? readFully(file, pos, filled, want) : 0;
            filled += got;
            pos += got;
            boolean last = got < want || pos >= chunk.end() || want == 0;
            for (int i = newline(buf, scanFrom, filled); i >= 0; i = newline(buf, lineStart, filled)) {
                if (overlong) {
                    sink.overlongLine(shown, 0, shownLength, overlongLength + (i - lineStart));
                    overlong = false;
                } else if (i - lineStart > maxLine) { // the rule is the length, not where the line fell in the buffer
                    sink.overlongLine(buf, lineStart, lineStart + Math.min(OVERLONG_SHOWN, i - lineStart), i - lineStart);
                } else {
                    sink.line(buf, lineStart, i);
                }
                lineStart = i + 1;
            }
            if (overlong) {
                overlongLength += filled - lineStart;
                lineStart = filled;
            } else if (filled - lineStart > maxLine) {
                overlong = true;
                shownLength = Math.min(OVERLONG_SHOWN, filled - lineStart);
                System.arraycopy(buf, lineStart, shown, 0, shownLength);
                overlongLength = filled - lineStart;
                lineStart = filled;
            }
            if (last) {
                if (overlong) {
                    sink.overlongLine(shown, 0, shownLength, overlongLength);
                } else if (lineStart < filled) {
                    sink.line(buf, lineStart, filled); // a last line without \n: cut, or just unterminated
                }
                return;
            }
        }
    }

    /** The first {@code \n} in {@code b[from, to)}, or -1; sixteen bytes per step (the usual SWAR zero-byte test). */
    static int newline(byte[] b, int from, int to) {
        int i = from;
        int limit = to - 15; // a loop of this form is a counted loop to the compiler: no per-step checks
        for (; i < limit; i += 16) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long y = (long) LONGS.get(b, i + 8) ^ 0x0A0A0A0A0A0A0A0AL;
            long foundX = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            long foundY = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
            if ((foundX | foundY) != 0) {
                return foundX != 0 ? i + (Long.numberOfTrailingZeros(foundX) >>> 3)
                        : i + 8 + (Long.numberOfTrailingZeros(foundY) >>> 3);
            }
        }
        for (limit = to - 7; i < limit; i += 8) {
            long x = (long) LONGS.get(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads until {@code want} bytes are in or the file ends early (it may be truncated while we read). Plain reads:
     * a memory mapping costs a page fault per few pages, more than the copy it saves.
     */
    private int readFully(FileChannel file, long pos, int offset, int want) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(buf, offset, want);
        int total = 0;
        while (target.hasRemaining()) {
            int n = file.read(target, pos + total);
            if (n <= 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
