package dev.reclaimlab.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace.dat is untrusted input: every way of breaking a good file fails with an IOException that names the file,
 * the byte and what was expected, and none makes the reader allocate what the file claims.
 */
class TraceDatFileTest {
    /** What every failure says: the file, then where in it. */
    private static final Pattern LOCATED = Pattern.compile(".*bad\\.dat: at byte \\d+: expected .+, found .+");

    @TempDir
    Path dir;
    private byte[] good;

    @BeforeEach
    void writeAGoodFile() throws IOException {
        Path dat = dir.resolve("good.dat");
        TraceDat.write(RawCapture.fromIteration(SyntheticCapture.write(dir.resolve("it"))), dat);
        good = Files.readAllBytes(dat);
    }

    @Test
    void everyTruncationFailsAndSaysWhere() throws IOException {
        // every prefix: each section boundary, and every byte in between (the file is 12 KiB)
        for (int length = 0; length < good.length; length++) {
            IOException e = readFails(Arrays.copyOf(good, length));
            assertTrue(LOCATED.matcher(e.getMessage()).matches(), "cut at " + length + ": " + e.getMessage());
        }
    }

    @Test
    void wrongMagicIsNamed() throws IOException {
        byte[] bytes = good.clone();
        bytes[1] = 0x09;

        assertEquals(message("at byte 0: expected the trace.dat magic '\\x17\\x08Dtracing', found "
                + "'\\x17\\x09Dtracing'"), readFails(bytes).getMessage());
    }

    @Test
    void versionSevenSaysHowToConvert() throws IOException {
        byte[] bytes = good.clone();
        bytes[10] = '7';

        String message = readFails(bytes).getMessage();

        assertTrue(message.contains("at byte 10: trace.dat file version 7"), message);
        assertTrue(message.contains("lab reads only version 6"), message);
        assertTrue(message.contains("trace-cmd convert --file-version 6 -i " + dir.resolve("bad.dat")), message);
    }

    @Test
    void sizesOfTwoToTheSixtyThirdAreRefused() throws IOException {
        int headerPageSize = indexOf("header_page\0") + 12;
        int headerEventSize = indexOf("header_event\0") + 13;
        int cmdlinesSize = indexOf(SyntheticCapture.CMDLINES) - 8;
        int cpu0Size = indexOf("flyrecord\0") + 10 + 8;
        for (int at : new int[] {headerPageSize, headerEventSize, cmdlinesSize, cpu0Size}) {
            String m = readFails(withLong(at, 1L << 63)).getMessage();
            assertTrue(m.startsWith(message("at byte " + at + ": expected ")), m);
            assertTrue(m.endsWith("(a size or offset), found 0x8000000000000000"), m);
        }
        for (int at : new int[] {headerPageSize, cmdlinesSize, cpu0Size}) {
            IOException e = readFails(withLong(at, Long.MAX_VALUE));
            assertTrue(LOCATED.matcher(e.getMessage()).matches(), e.getMessage());
        }
    }

    @Test
    void aBillionCpusAreRefusedBeforeAnyTableIsMade() throws IOException {
        int cpus = indexOf("options  \0") - 4;
        byte[] bytes = good.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(cpus, 1_000_000_000);

        assertEquals(message("at byte " + cpus + ": expected at most 65536 CPUs, found 1000000000"),
                readFails(bytes).getMessage());
        // as many as could be, but more than the file holds pairs for
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(cpus, 65536);
        assertTrue(readFails(bytes).getMessage().contains("the table of 65536 CPUs' data within the file"));
    }

    @Test
    void cpuDataOffThePageGridOrPastTheEndIsRefused() throws IOException {
        int cpu0 = indexOf("flyrecord\0") + 10;
        long offset = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(cpu0);

        assertTrue(readFails(withLong(cpu0, offset + 8)).getMessage().contains("multiple of the page size 4096"));
        assertTrue(readFails(withLong(cpu0 + 8, 3 * 4096)).getMessage().contains("truncated file?"));
    }

    @Test
    void hugeClaimsAllocateNothingLikeWhatTheyClaim() throws IOException {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[][] hostile = {
            withLong(indexOf("header_page\0") + 12, Integer.MAX_VALUE),
            withLong(indexOf("header_event\0") + 13, RawCapture.MAX_METADATA_BYTES + 1L),
            withInt(indexOf("options  \0") - 4, 65536),
            withInt(indexOf("lab\0") + 4, Integer.MAX_VALUE),
        };
        for (byte[] bytes : hostile) {
            Files.write(dir.resolve("bad.dat"), bytes);
            long before = threads.getCurrentThreadAllocatedBytes();
            assertThrows(IOException.class, () -> TraceDat.read(dir.resolve("bad.dat")));
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 4 << 20, allocated + " bytes allocated to refuse a file of " + bytes.length);
        }
    }

    @Test
    void aLatencyTraceIsNamedForWhatItIs() throws IOException {
        byte[] bytes = good.clone();
        int fly = indexOf("flyrecord\0");
        System.arraycopy(Bytes.ascii("latency  \0"), 0, bytes, fly, 10);

        assertTrue(readFails(bytes).getMessage().contains("'latency': a latency-tracer file"));
    }

    private IOException readFails(byte[] bytes) throws IOException {
        Path bad = dir.resolve("bad.dat");
        Files.write(bad, bytes);
        return assertThrows(IOException.class, () -> TraceDat.read(bad));
    }

    private String message(String text) {
        return dir.resolve("bad.dat") + ": " + text;
    }

    private byte[] withLong(int at, long value) {
        byte[] bytes = good.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
        return bytes;
    }

    private byte[] withInt(int at, int value) {
        byte[] bytes = good.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return bytes;
    }

    private int indexOf(String word) {
        return TraceDatWriterTest.indexOf(good, word);
    }
}
