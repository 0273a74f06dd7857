package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-made capture written as trace.dat: Debian's trace-cmd prints exactly its three events, and the file reads
 * back as the capture it came from.
 */
class TraceDatWriterTest {
    @Test
    void traceCmdPrintsEveryEventWithItsCommAndNanosecondTime(@TempDir Path dir) throws Exception {
        RawCapture capture = RawCapture.fromIteration(SyntheticCapture.write(dir.resolve("it")));
        Path dat = dir.resolve("trace.dat");

        TraceDatWriter.Written written = TraceDat.write(capture, dat);

        assertEquals(new TraceDatWriter.Written(dat, 3, 4096, 8192, Map.of()), written);
        String report = TraceCmd.report(dat);
        assertTrue(report.startsWith("cpus=3\n"), report);
        assertEquals(List.of(
                new TraceCmd.Line("worker one", 4242, 0, "1.000000000", "lab_test", "value=-5"),
                new TraceCmd.Line("worker one", 4242, 0, "1.000000500", "lab_test", "value=7"),
                new TraceCmd.Line("<...>", 100, 2, "2.000000000", "lab_test", "value=9")),
                TraceCmd.events(report));
        TraceCmd.Result cpus = TraceCmd.run(dir, "report", "--cpus", "-i", dat.toString());
        assertTrue(cpus.out().endsWith("data:\n  0\n  2\n"), cpus.out());
        TraceCmd.Result version = TraceCmd.run(dir, "report", "--version", "-i", dat.toString());
        assertEquals("cpus=3\n" + TraceDatWriter.WRITER, version.out().strip());
    }

    @Test
    void theHeaderIsVersionSixInTheKernelsByteOrderWithPageAlignedCpuData(@TempDir Path dir) throws Exception {
        RawCapture capture = RawCapture.fromIteration(SyntheticCapture.write(dir.resolve("it")));
        Path dat = dir.resolve("trace.dat");
        TraceDat.write(capture, dat);

        byte[] bytes = Files.readAllBytes(dat);
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertArrayEquals(new byte[] {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g', '6', 0, 0, 8},
                java.util.Arrays.copyOf(bytes, 14));
        assertEquals(4096, header.getInt(14));
        int table = indexOf(bytes, "flyrecord\0") + 10;
        long[] pairs = new long[6];
        for (int i = 0; i < pairs.length; i++) {
            pairs[i] = header.getLong(table + 8 * i);
        }
        assertEquals(0, pairs[0] % 4096, "CPU 0 at a page boundary");
        assertEquals(4096, pairs[1]);
        assertEquals(0, pairs[3], "CPU 1 has no file: an empty pair keeps CPU 2 at index 2");
        assertEquals(pairs[0] + 4096, pairs[4]);
        assertEquals(bytes.length, pairs[4] + pairs[5]);
        assertEquals(7, header.getLong(table + 48), "the clock block trace-cmd reads after the table");
        assertEquals("[local]", new String(bytes, table + 56, 7, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void whatIsWrittenReadsBackAsTheSameCapture(@TempDir Path dir) throws Exception {
        RawCapture capture = RawCapture.fromIteration(SyntheticCapture.write(dir.resolve("it")));
        Path dat = dir.resolve("trace.dat");
        TraceDat.write(capture, dat);

        RawCapture back = TraceDat.read(dat);

        assertEquals(capture.order(), back.order());
        assertEquals(capture.headerPage(), back.headerPage());
        assertEquals(capture.headerEvent(), back.headerEvent());
        assertEquals(capture.formats(), back.formats());
        assertEquals(capture.clock(), back.clock());
        assertArrayEquals(bytes(capture.kallsyms().orElseThrow()), bytes(back.kallsyms().orElseThrow()));
        assertArrayEquals(bytes(capture.cmdlines().orElseThrow()), bytes(back.cmdlines().orElseThrow()));
        assertEquals(List.of(0, 1, 2), back.cpus().stream().map(RawCapture.CpuData::cpu).toList());
        assertEquals(0, back.cpus().get(1).pages().length());
        for (int cpu : new int[] {0, 2}) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("it/raw/cpu" + cpu)),
                    bytes(back.cpus().get(cpu).pages()), "CPU " + cpu + "'s pages, region in the trace.dat");
            assertEquals(dat, back.cpus().get(cpu).pages().file());
        }
    }

    @Test
    void aPageCutShortIsLeftOutAndSaidSo(@TempDir Path dir) throws Exception {
        Path iteration = SyntheticCapture.write(dir.resolve("it"));
        byte[] second = SyntheticCapture.page(3_000_000_000L, new int[][] {{0, 4242, 1}});
        Files.write(iteration.resolve("raw/cpu0"), java.util.Arrays.copyOf(second, 100),
                java.nio.file.StandardOpenOption.APPEND);
        Path dat = dir.resolve("trace.dat");

        TraceDatWriter.Written written = TraceDat.write(RawCapture.fromIteration(iteration), dat);

        assertEquals(Map.of(0, 100L), written.leftOut());
        assertEquals(8192, written.pageBytes());
        assertEquals(3, TraceCmd.events(TraceCmd.report(dat)).size());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws Exception {
        RawCapture capture = RawCapture.fromIteration(SyntheticCapture.write(dir.resolve("it")));
        Path dat = dir.resolve("trace.dat");
        Files.writeString(dat, "the previous trace");
        // the capture's CPU 2 file shrinks after it was described: the copy finds fewer bytes than the region
        Files.write(dir.resolve("it/raw/cpu2"), new byte[0]);

        IOException e = assertThrows(IOException.class, () -> TraceDat.write(capture, dat));

        assertTrue(e.getMessage().contains("cpu2"), e.getMessage());
        assertEquals("the previous trace", Files.readString(dat));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void aBigEndianCaptureIsWrittenBigEndian(@TempDir Path dir) throws Exception {
        RawCapture little = RawCapture.fromIteration(SyntheticCapture.write(dir.resolve("it")));
        RawCapture big = new RawCapture(ByteOrder.BIG_ENDIAN, little.headerPage(), little.headerEvent(),
                little.formats(), little.kallsyms(), little.cmdlines(), little.clock(), little.cpus());
        Path dat = dir.resolve("trace.dat");

        TraceDat.write(big, dat);

        byte[] bytes = Files.readAllBytes(dat);
        assertEquals(1, bytes[12]);
        assertEquals(4096, ByteBuffer.wrap(bytes, 14, 4).order(ByteOrder.BIG_ENDIAN).getInt());
        assertEquals(ByteOrder.BIG_ENDIAN, TraceDat.read(dat).order());
    }

    @Test
    void aCpuTwiceIsRefusedRatherThanOneOfThemLost(@TempDir Path dir) throws Exception {
        RawCapture once = RawCapture.fromIteration(SyntheticCapture.write(dir.resolve("it")));
        List<RawCapture.CpuData> cpus = new java.util.ArrayList<>(once.cpus());
        cpus.add(new RawCapture.CpuData(2, once.cpus().get(0).pages()));
        RawCapture twice = new RawCapture(once.order(), once.headerPage(), once.headerEvent(), once.formats(),
                once.kallsyms(), once.cmdlines(), once.clock(), cpus);

        IOException e = assertThrows(IOException.class, () -> TraceDat.write(twice, dir.resolve("trace.dat")));

        assertTrue(e.getMessage().endsWith("CPU 2 has pages twice in the capture"), e.getMessage());
    }

    static byte[] bytes(RawCapture.Region region) throws IOException {
        try (FileChannel channel = FileChannel.open(region.file())) {
            ByteBuffer buffer = ByteBuffer.allocate((int) region.length());
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, region.offset() + buffer.position()) < 0) {
                    throw new IOException("region past the end of " + region.file());
                }
            }
            return buffer.array();
        }
    }

    static int indexOf(byte[] bytes, String word) {
        int at = Bytes.indexOf(bytes, 0, bytes.length, Bytes.ascii(word));
        assertTrue(at >= 0, word + " not in the file");
        return at;
    }
}
