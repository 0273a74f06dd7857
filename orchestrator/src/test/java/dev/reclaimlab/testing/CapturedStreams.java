package dev.reclaimlab.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures System.out and System.err around each test, for commands that print what a user reads.
 * Use: {@code @RegisterExtension final CapturedStreams streams = new CapturedStreams();}
 */
public final class CapturedStreams implements BeforeEachCallback, AfterEachCallback {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @Override
    public void beforeEach(ExtensionContext context) {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    public String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Forgets what was printed so far, for a test that runs several commands. */
    public void reset() {
        out.reset();
        err.reset();
    }

    public String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
