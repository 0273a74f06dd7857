package dev.reclaimlab.host;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Captures one output stream of a command as text without unbounded memory: it keeps the first and the last
 * {@code limitHalf} bytes and counts what falls in between, and forwards complete lines to an {@link OutputListener}.
 *
 * <p>Head and tail are both kept because the start of a log says what a command was doing and the end says how it
 * failed; the middle of a megabyte of output is the part nobody reads.
 */
final class OutputCapture implements ByteSink {

    static final int DEFAULT_LIMIT_HALF = 512 * 1024;
    /** Longest line handed to a listener in one piece; bounds the line buffer for output without newlines. */
    static final int MAX_LINE = 64 * 1024;

    private final int limitHalf;
    /** Grown as output comes, up to limitHalf: most commands print a line or nothing, and steps come by the thousand. */
    private byte[] head = new byte[0];
    private int headLength;
    private byte[] tail = new byte[0]; // ring buffer of the most recent bytes once head is full; allocated then
    private int tailStart;
    private int tailLength;
    private long total;

    private final OutputListener.Stream stream;
    private final OutputListener listener;
    private byte[] line = new byte[0];
    private int lineLength;

    OutputCapture(OutputListener.Stream stream, OutputListener listener) {
        this(stream, listener, DEFAULT_LIMIT_HALF);
    }

    OutputCapture(OutputListener.Stream stream, OutputListener listener, int limitHalf) {
        this.stream = stream;
        this.listener = listener;
        this.limitHalf = limitHalf;
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        keep(bytes, offset, length);
        if (listener != OutputListener.NONE) {
            splitLines(bytes, offset, length);
        }
    }

    @Override
    public synchronized void end() {
        if (lineLength > 0) {
            emitLine();
        }
    }

    /** Total bytes the stream produced, including any that were dropped. */
    synchronized long totalBytes() {
        return total;
    }

    /** The kept text; if bytes were dropped, a marker line between head and tail says how many. */
    synchronized String text() {
        long dropped = total - headLength - tailLength;
        byte[] tailBytes = new byte[tailLength];
        for (int i = 0; i < tailLength; i++) {
            tailBytes[i] = tail[(tailStart + i) % tail.length];
        }
        String headText = new String(head, 0, headLength, StandardCharsets.UTF_8);
        if (dropped == 0) {
            return headText + new String(tailBytes, StandardCharsets.UTF_8);
        }
        return headText + "\n[... " + dropped + " bytes of output dropped ...]\n"
                + new String(tailBytes, StandardCharsets.UTF_8);
    }

    private void keep(byte[] bytes, int offset, int length) {
        total += length;
        if (headLength + length > head.length && head.length < limitHalf) {
            long wanted = Math.max(2L * head.length, headLength + (long) length);
            head = Arrays.copyOf(head, (int) Math.min(limitHalf, wanted));
        }
        int toHead = Math.min(length, head.length - headLength);
        System.arraycopy(bytes, offset, head, headLength, toHead);
        headLength += toHead;
        offset += toHead;
        length -= toHead;
        if (length == 0) {
            return;
        }
        if (tail.length == 0) {
            tail = new byte[limitHalf];
        }
        if (length >= tail.length) { // only the newest tail.length bytes can survive
            System.arraycopy(bytes, offset + length - tail.length, tail, 0, tail.length);
            tailStart = 0;
            tailLength = tail.length;
            return;
        }
        while (length > 0) {
            int writeAt = (tailStart + tailLength) % tail.length;
            int chunk = Math.min(length, tail.length - writeAt);
            System.arraycopy(bytes, offset, tail, writeAt, chunk);
            offset += chunk;
            length -= chunk;
            int overflow = tailLength + chunk - tail.length;
            if (overflow > 0) { // overwrote the oldest bytes
                tailStart = (tailStart + overflow) % tail.length;
                tailLength = tail.length;
            } else {
                tailLength += chunk;
            }
        }
    }

    private void splitLines(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                emitLine();
            } else {
                if (lineLength == line.length) {
                    line = Arrays.copyOf(line, Math.max(256, Math.min(MAX_LINE, 2 * line.length)));
                }
                line[lineLength++] = b;
                if (lineLength == MAX_LINE) {
                    emitLine();
                }
            }
        }
    }

    private void emitLine() {
        int length = lineLength;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        String text = new String(Arrays.copyOf(line, length), StandardCharsets.UTF_8);
        lineLength = 0;
        listener.line(stream, text);
    }
}
