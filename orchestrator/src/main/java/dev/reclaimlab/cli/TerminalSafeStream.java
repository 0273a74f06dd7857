package dev.reclaimlab.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What lab prints, with terminal control characters made visible. Much of it comes from other machines: task names
 * in traces, host output, journal entries, plan values in error messages. An escape sequence among them could
 * retitle the terminal, hide text or, on some terminals, answer back keystrokes; printed as {@code \x1b} it does
 * nothing. Newlines and tabs pass; a carriage return passes only as part of CRLF, which it then drops.
 *
 * <p>Works on UTF-8 bytes: C0 controls and DEL are single bytes, C1 controls (U+0080–U+009F) are 0xC2 followed by
 * 0x80–0x9F. Other UTF-8 passes unchanged.
 */
final class TerminalSafeStream extends FilterOutputStream {
    private static final int NONE = -1;
    /** A byte held back until the next one shows what it is: a CR (is CRLF next?) or 0xC2 (is a C1 control next?). */
    private int held = NONE;

    TerminalSafeStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        b &= 0xff;
        if (held == '\r') {
            held = NONE;
            if (b != '\n') {
                escape('\r');
            }
        } else if (held == 0xC2) {
            held = NONE;
            if (b >= 0x80 && b <= 0x9F) {
                out.write(String.format("\\u%04x", b).getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write(0xC2);
        }
        if (b == '\r' || b == 0xC2) {
            held = b;
        } else if ((b < 0x20 && b != '\n' && b != '\t') || b == 0x7f) {
            escape(b);
        } else {
            out.write(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public void flush() throws IOException {
        // A held 0xC2 waits for its second byte, which a flush in the middle of a character cannot split from;
        // a held CR stays until the next byte says whether it ends a line.
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (held == '\r') {
            escape('\r');
        } else if (held == 0xC2) {
            out.write(0xC2);
        }
        held = NONE;
        super.close();
    }

    private void escape(int b) throws IOException {
        out.write(String.format("\\x%02x", b).getBytes(StandardCharsets.US_ASCII));
    }
}
