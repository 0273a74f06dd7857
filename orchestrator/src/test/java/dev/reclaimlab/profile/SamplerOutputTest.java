package dev.reclaimlab.profile;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerOutputTest {

    private static SamplerOutput.Summary read(String text, List<Sample> into) throws IOException {
        return SamplerOutput.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), into::add);
    }

    @Test
    void samplesLossesHeaderAndEndAreRead() throws IOException {
        List<Sample> samples = new ArrayList<>();
        SamplerOutput.Summary s = read("""
                # lab-sampler 1 hz=99 cpus=2
                S 1 4242 4243 76626642892363 k ffffffff822613eb,ffffffff82262ef5 kworker/u8:3 flush
                S 0 0 0 76626642892400 k ffffffff81000000 swapper
                S 0 77 77 76626642892500 u - dd
                S 1 8265 -1 76626642892600 k ffffffff822478d1 dd
                L 1 12
                # end samples=3 lost=12
                """, samples);
        assertEquals(4, s.samples());
        assertEquals(1, s.lostRecords());
        assertEquals(12, s.lostSamples());
        assertEquals(99, s.hz());
        assertTrue(s.header() && s.ended());
        assertEquals(0, s.malformedLines());
        Sample first = samples.get(0);
        assertEquals(1, first.cpu());
        assertEquals(4242, first.pid());
        assertEquals(4243, first.tid());
        assertEquals("kworker/u8:3 flush", first.comm(), "a comm keeps its spaces");
        assertArrayEquals(new long[] {0xffffffff822613ebL, 0xffffffff82262ef5L}, first.chain());
        assertTrue(samples.get(1).idle());
        assertTrue(samples.get(2).user());
        assertEquals(0, samples.get(2).chain().length);
        assertEquals(-1, samples.get(3).tid(), "a task in exit has lost its pid");
    }

    @Test
    void badLinesAreCountedAndSkippedWithTheFirstNamed() throws IOException {
        List<Sample> samples = new ArrayList<>();
        SamplerOutput.Summary s = read("""
                S 0 1 1 5 k ffffffff81000000 init
                S 0 1 1 5 x ffffffff81000000 init
                S 0 1 1 5 k zz init
                S 0 1 1 5 k ffffffff81000000,,1 init
                S 0 -2 1 5 k 1 init
                S 0 1 1 5 k 1
                L 0 many
                hello
                """, samples);
        assertEquals(1, samples.size());
        assertEquals(7, s.malformedLines());
        assertEquals("line 2: not a sample (S CPU PID TID TIME k|u ADDRESSES COMM): \"S 0 1 1 5 x ffffffff81000000 init\"",
                s.firstMalformed());
        assertFalse(s.ended(), "no end line: the sampler was cut short");
    }

    @Test
    void aChainDeeperThanAnyUnwinderMakesIsRefused() throws IOException {
        String deep = "S 0 1 1 5 k " + "1,".repeat(SamplerOutput.MAX_DEPTH) + "1 x\n";
        List<Sample> samples = new ArrayList<>();
        assertEquals(1, read(deep, samples).malformedLines());
        assertTrue(samples.isEmpty());
    }

    @Test
    void randomBytesNeverCrashTheReader() throws IOException {
        Random random = new Random(16);
        String good = "S 1 4242 4243 76626642892363 k ffffffff822613eb,ffffffff82262ef5 dd\n";
        for (int round = 0; round < 2_000; round++) {
            byte[] bytes = (good + good).getBytes(StandardCharsets.ISO_8859_1);
            for (int flips = 1 + random.nextInt(6); flips > 0; flips--) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            List<Sample> samples = new ArrayList<>();
            SamplerOutput.Summary s = SamplerOutput.read(new ByteArrayInputStream(bytes), samples::add);
            assertEquals(s.samples(), samples.size());
            assertTrue(s.samples() + s.malformedLines() <= 4);
        }
    }
}
