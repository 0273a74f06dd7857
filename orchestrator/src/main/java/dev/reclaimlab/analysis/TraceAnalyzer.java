package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.RawCapture;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns one collected trace into metrics. The run engine and the reports only see this interface, so the analysis
 * can grow without touching them. {@link ReclaimAnalyzer} is the engine.
 */
public interface TraceAnalyzer {
    /**
     * Reads the trace once, front to back, with the event format files saved beside it ({@code formats/}) when
     * there are any; memory use must not grow with the trace's size. Unreadable lines are counted, never thrown.
     */
    TraceMetrics analyze(Path trace) throws IOException;

    /** The same for a binary capture: each CPU's pages decoded a page at a time, in time order. */
    TraceMetrics analyze(RawCapture capture) throws IOException;
}
