package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines come out whole, once each and in order, whatever the chunks, the buffer and the line lengths. */
class ChunkReaderTest {
    @TempDir
    Path dir;

    /** Reads every chunk and returns the lines; an overlong line is given as "OVERLONG(length):first bytes". */
    static List<String> lines(Path file, long chunkBytes, int buffer, int maxLine) throws IOException {
        List<String> out = new ArrayList<>();
        ChunkReader reader = new ChunkReader(buffer, maxLine);
        try (FileChannel channel = FileChannel.open(file)) {
            List<TraceChunks.Chunk> chunks = TraceChunks.split(channel, chunkBytes);
            long covered = 0;
            for (TraceChunks.Chunk chunk : chunks) {
                assertEquals(covered, chunk.start(), "chunks are contiguous");
                covered = chunk.end();
                reader.read(channel, chunk, new ChunkReader.LineConsumer() {
                    @Override
                    public void line(byte[] buf, int start, int end) {
                        out.add(new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
                    }

                    @Override
                    public void overlongLine(byte[] buf, int start, int end, long length) {
                        out.add("OVERLONG(" + length + "):" + new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
                    }
                });
            }
            assertEquals(channel.size(), covered, "chunks cover the file");
        }
        return out;
    }

    @Test
    void everyLineOnceWhateverTheChunkAndBufferSizes() throws IOException {
        Random random = new Random(3);
        List<String> expected = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 500; i++) {
            String line = "line " + i + " " + "x".repeat(random.nextInt(120));
            expected.add(line);
            text.append(line).append('\n');
        }
        expected.add("a last line without a newline");
        text.append("a last line without a newline");
        Path file = Files.writeString(dir.resolve("t.txt"), text);

        for (long chunk : new long[] {1, 2, 17, 100, 4096, 1 << 20}) {
            for (int buffer : new int[] {200, 257, 4096}) {
                assertEquals(expected, lines(file, chunk, buffer, 199), "chunk " + chunk + ", buffer " + buffer);
            }
        }
    }

    @Test
    void overlongLinesAreReportedNotKeptAndDoNotDisturbTheirNeighbours() throws IOException {
        String huge = "H".repeat(5000);
        Path file = Files.writeString(dir.resolve("t.txt"), "before\n" + huge + "\nafter\n" + huge);

        List<String> read = lines(file, 1 << 20, 300, 256);

        assertEquals(List.of("before", "OVERLONG(5000):" + huge.substring(0, ChunkReader.OVERLONG_SHOWN), "after",
                "OVERLONG(5000):" + huge.substring(0, ChunkReader.OVERLONG_SHOWN)), read);
        assertEquals(read, lines(file, 7, 300, 256), "split anywhere");
    }

    @Test
    void overlongIsDecidedByLengthAloneWhereverTheLineFalls() throws IOException {
        for (int pad = 0; pad < 300; pad += 7) {
            String text = "p".repeat(pad) + "\n" + "a".repeat(100) + "\n" + "b".repeat(101) + "\nend";
            Path file = Files.writeString(dir.resolve("t" + pad + ".txt"), text);
            for (long chunk : new long[] {1, 150, 1 << 20}) {
                List<String> read = lines(file, chunk, 128, 100);
                assertEquals("a".repeat(100), read.get(1), "pad " + pad + ", chunk " + chunk);
                assertEquals("OVERLONG(101):" + "b".repeat(101), read.get(2), "pad " + pad + ", chunk " + chunk);
            }
        }
    }

    @Test
    void emptyFilesAndEmptyLines() throws IOException {
        assertEquals(List.of(), lines(Files.writeString(dir.resolve("e.txt"), ""), 10, 64, 32));
        assertEquals(List.of("", "", "a", ""), lines(Files.writeString(dir.resolve("n.txt"), "\n\na\n\n"), 1, 64, 32));
        assertEquals(List.of("a\r", "b\r"), lines(Files.writeString(dir.resolve("crlf.txt"), "a\r\nb\r\n"), 3, 64, 32),
                "CR is left to the parser");
    }

    @Test
    void theBufferMustHoldTheLongestLineItKeeps() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkReader(100, 100));
        assertThrows(IllegalArgumentException.class, () -> new ChunkReader(100, 0));
    }

    @Test
    void newlineSearchFindsEveryPosition() {
        for (int len = 0; len < 40; len++) {
            for (int at = 0; at < len; at++) {
                byte[] b = "y".repeat(len).getBytes(StandardCharsets.ISO_8859_1);
                b[at] = '\n';
                assertEquals(at, ChunkReader.newline(b, 0, len), "len " + len + " at " + at);
                assertEquals(at, ChunkReader.newline(b, at, len), "from the newline itself");
                assertEquals(-1, ChunkReader.newline(b, at + 1, len), "past it");
            }
            assertEquals(-1, ChunkReader.newline("z".repeat(len).getBytes(StandardCharsets.ISO_8859_1), 0, len));
        }
    }
}
