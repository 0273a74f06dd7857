package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;

/**
 * Numbers in one byte order, bytes and whole file regions, appended to a file through a small buffer. Regions go
 * straight from file to file ({@link FileChannel#transferTo}), so a capture of gigabytes never passes through the heap.
 */
final class DatOutput implements AutoCloseable {
    private final FileChannel out;
    private final ByteBuffer buffer;
    private long flushed;

    DatOutput(FileChannel out, ByteOrder order) throws IOException {
        this.out = out;
        this.buffer = ByteBuffer.allocate(1 << 16).order(order);
        this.flushed = out.position();
    }

    /** Where the next byte goes. */
    long position() {
        return flushed + buffer.position();
    }

    DatOutput u8(int value) throws IOException {
        room(1).put((byte) value);
        return this;
    }

    DatOutput u16(int value) throws IOException {
        room(2).putShort((short) value);
        return this;
    }

    DatOutput u32(long value) throws IOException {
        room(4).putInt((int) value);
        return this;
    }

    DatOutput u64(long value) throws IOException {
        room(8).putLong(value);
        return this;
    }

    DatOutput bytes(byte[] bytes) throws IOException {
        int at = 0;
        while (at < bytes.length) {
            int n = Math.min(bytes.length - at, room(1).remaining());
            buffer.put(bytes, at, n);
            at += n;
        }
        return this;
    }

    /** Zeros up to the next multiple of {@code alignment}. */
    DatOutput padTo(long alignment) throws IOException {
        long gap = (alignment - position() % alignment) % alignment;
        for (long i = 0; i < gap; i++) {
            u8(0);
        }
        return this;
    }

    /** Appends {@code region} as it is, file to file; fails if the region's file is shorter than the region. */
    DatOutput region(RawCapture.Region region) throws IOException {
        flush();
        try (FileChannel in = FileChannel.open(region.file(), StandardOpenOption.READ)) {
            long done = 0;
            while (done < region.length()) {
                long n = in.transferTo(region.offset() + done, region.length() - done, out);
                if (n <= 0) {
                    throw new IOException(region.file() + ": ended at byte " + (region.offset() + done)
                            + ", expected " + (region.length() - done) + " more bytes of the capture");
                }
                done += n;
            }
            flushed += done;
        }
        return this;
    }

    /** Overwrites 8-byte numbers written earlier at {@code at} (a table filled in once what it points to is known). */
    void u64sAt(long at, long[] values) throws IOException {
        flush();
        ByteBuffer numbers = ByteBuffer.allocate(values.length * 8).order(buffer.order());
        for (long value : values) {
            numbers.putLong(value);
        }
        numbers.flip();
        while (numbers.hasRemaining()) {
            out.write(numbers, at + numbers.position());
        }
    }

    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            flushed += out.write(buffer);
        }
        buffer.clear();
    }

    private ByteBuffer room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
        return buffer;
    }

    @Override
    public void close() throws IOException {
        flush();
    }
}
