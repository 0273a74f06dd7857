package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** trace-cmd's trace.dat (file version 6), both ways: what the run engine and {@code lab analyze} call. */
public final class TraceDat {
    private TraceDat() {}

    /** Writes {@code capture} as a trace.dat at {@code out}, atomically (see {@link TraceDatWriter}). */
    public static TraceDatWriter.Written write(RawCapture capture, Path out) throws IOException {
        return new TraceDatWriter(capture, Map.of()).write(out);
    }

    /** The capture in a version-6 trace.dat, its regions pointing into the file (see {@link TraceDatFile}). */
    public static RawCapture read(Path traceDat) throws IOException {
        return TraceDatFile.read(traceDat);
    }
}
