package dev.reclaimlab.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TerminalSafeStreamTest {

    @Test
    void controlCharactersBecomeVisibleText() throws IOException {
        assertEquals("a\\x1b[2Jb\\x07c\\x7f\td\n", through("a\u001b[2Jb\u0007c\u007f\td\n"));
    }

    @Test
    void crlfEndsALineAndALoneCarriageReturnIsShown() throws IOException {
        assertEquals("boot\nover\\x0dwrite\\x0d", through("boot\r\nover\rwrite\r"));
    }

    @Test
    void c1ControlsAreShownWhileOtherUtf8Passes() throws IOException {
        assertEquals("\\u009b31m é ¢ µs → ✓", through("\u009b31m é ¢ µs → ✓"));
    }

    @Test
    void aSequenceSplitAcrossWritesIsCaughtToo() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        TerminalSafeStream stream = new TerminalSafeStream(sink);
        byte[] csi = "x\u009b".getBytes(StandardCharsets.UTF_8);
        stream.write(csi, 0, 2); // 'x', then 0xC2 alone
        stream.flush();
        stream.write(csi, 2, 1); // 0x9B
        stream.write("\r".getBytes(StandardCharsets.UTF_8));
        stream.write("\n".getBytes(StandardCharsets.UTF_8));
        stream.close();
        assertEquals("x\\u009b\n", sink.toString(StandardCharsets.UTF_8));
    }

    private static String through(String text) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (TerminalSafeStream stream = new TerminalSafeStream(sink)) {
            stream.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return sink.toString(StandardCharsets.UTF_8);
    }
}
