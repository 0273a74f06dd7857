package dev.reclaimlab.analysis;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns one collected trace into metrics. The run engine and the reports only see this interface, so the
 * analysis can grow (latency pairing, per-CPU tables, shrink_slab share) without touching them.
 */
public interface TraceAnalyzer {
    /** Reads the trace once, front to back; memory use must not grow with the trace's size. */
    TraceMetrics analyze(Path trace) throws IOException;
}
