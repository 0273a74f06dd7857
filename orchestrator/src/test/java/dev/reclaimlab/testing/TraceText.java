package dev.reclaimlab.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run's trace as text lines, whichever form lab kept: a text trace as it is, a trace.dat as {@code trace-cmd report}
 * prints it. Reading lab's binary traces through trace-cmd, not through lab's own decoder, keeps the tests that count
 * events in them independent of the code under test.
 */
public final class TraceText {
    private TraceText() {}

    /** {@code trace} itself if it is text; for a trace.dat, trace-cmd's report of it in a file beside it. */
    public static Path of(Path trace) throws IOException, InterruptedException {
        if (!trace.getFileName().toString().endsWith(".dat")) {
            return trace;
        }
        Path text = trace.resolveSibling(trace.getFileName() + ".report.txt");
        Path errors = trace.resolveSibling(trace.getFileName() + ".report.err");
        Process report = new ProcessBuilder(Prerequisites.require("trace-cmd"), "report", "-i", trace.toString())
                .redirectOutput(text.toFile()).redirectError(errors.toFile()).start();
        if (!report.waitFor(5, TimeUnit.MINUTES)) {
            report.destroyForcibly();
            throw new IOException("trace-cmd report of " + trace + " took more than 5 minutes");
        }
        assertEquals(0, report.exitValue(), "trace-cmd report " + trace + ": " + Files.readString(errors));
        return text;
    }
}
