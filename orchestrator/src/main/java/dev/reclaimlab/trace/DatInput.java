package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A cursor over an untrusted file: every read is checked against the file's size and a limit before anything is
 * allocated, and every failure names the file, the byte offset and what was expected there.
 */
final class DatInput {
    private final Path file;
    private final FileChannel channel;
    private final long size;
    private ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    private long position;

    DatInput(Path file, FileChannel channel) throws IOException {
        this.file = file;
        this.channel = channel;
        this.size = channel.size();
    }

    Path file() {
        return file;
    }

    long position() {
        return position;
    }

    long size() {
        return size;
    }

    long remaining() {
        return size - position;
    }

    void order(ByteOrder order) {
        this.order = order;
    }

    ByteOrder order() {
        return order;
    }

    int u8(String what) throws IOException {
        return read(1, what).get() & 0xff;
    }

    int u16(String what) throws IOException {
        return read(2, what).getShort() & 0xffff;
    }

    long u32(String what) throws IOException {
        return read(4, what).getInt() & 0xffff_ffffL;
    }

    /** An unsigned 64-bit number; one past {@link Long#MAX_VALUE} is reported, since no size or offset can be that. */
    long u64(String what) throws IOException {
        long at = position;
        long value = read(8, what).getLong();
        if (value < 0) {
            throw failure(at, what + " (a size or offset)", "0x" + Long.toUnsignedString(value, 16));
        }
        return value;
    }

    /** {@code n} bytes, where {@code n} came from the file: checked against the file and {@code limit} first. */
    byte[] bytes(long n, long limit, String what) throws IOException {
        long at = position;
        if (n > limit) {
            throw failure(at, what + " of at most " + limit + " bytes", n + " bytes");
        }
        ByteBuffer buffer = read((int) n, what);
        byte[] bytes = new byte[(int) n];
        buffer.get(bytes);
        return bytes;
    }

    /** A NUL-terminated string of at most {@code limit} bytes, the NUL read but not returned. */
    String cstring(int limit, String what) throws IOException {
        long at = position;
        int n = (int) Math.min(limit + 1L, remaining());
        ByteBuffer buffer = ByteBuffer.allocate(n);
        fill(buffer, at);
        for (int i = 0; i < n; i++) {
            if (buffer.get(i) == 0) {
                position = at + i + 1;
                return new String(buffer.array(), 0, i, StandardCharsets.ISO_8859_1);
            }
        }
        throw failure(at, what + " ending in NUL within " + limit + " bytes",
                n <= limit ? "the end of the file" : quoted(Arrays.copyOf(buffer.array(), Math.min(n, 40))));
    }

    /** Fails unless the next bytes are exactly {@code expected}. */
    void expect(byte[] expected, String what) throws IOException {
        long at = position;
        byte[] found = bytes(Math.min(expected.length, remaining()), expected.length, what);
        if (!Arrays.equals(found, expected)) {
            throw failure(at, what + " " + quoted(expected), found.length == 0 ? "the end of the file" : quoted(found));
        }
    }

    /** Bytes as text, those that are not printable ASCII as {@code \xNN} (magic numbers, NULs, garbage). */
    static String quoted(byte[] bytes) {
        StringBuilder text = new StringBuilder("'");
        for (byte b : bytes) {
            int c = b & 0xff;
            text.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return text.append('\'').toString();
    }

    /** Whether the next bytes are {@code word}, without moving. */
    boolean at(byte[] word) throws IOException {
        if (remaining() < word.length) {
            return false;
        }
        ByteBuffer buffer = ByteBuffer.allocate(word.length);
        fill(buffer, position);
        return Arrays.equals(buffer.array(), word);
    }

    /** Moves past {@code n} bytes that lie in the file. */
    void skip(long n, String what) throws IOException {
        requireInFile(position, n, what);
        position += n;
    }

    /** Fails unless {@code [offset, offset + n)} lies in the file. */
    void requireInFile(long offset, long n, String what) throws IOException {
        if (n > size - offset || offset > size) {
            throw failure(position, what + " within the file's " + size + " bytes",
                    n + " bytes at offset " + offset + " (truncated file?)");
        }
    }

    IOException failure(long at, String expected, String found) {
        return new IOException(file + ": at byte " + at + ": expected " + expected + ", found " + found);
    }

    private ByteBuffer read(int n, String what) throws IOException {
        if (n > remaining()) {
            throw failure(position, what + " (" + n + " bytes)", remaining() <= 0 ? "the end of the file"
                    : "only " + remaining() + " bytes before the end of the file");
        }
        ByteBuffer buffer = ByteBuffer.allocate(n).order(order);
        fill(buffer, position);
        position += n;
        return buffer.flip();
    }

    private void fill(ByteBuffer buffer, long at) throws IOException {
        long offset = at;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, offset);
            if (n < 0) {
                throw failure(offset, buffer.remaining() + " more bytes", "the end of the file (it shrank)");
            }
            offset += n;
        }
    }
}
