package dev.reclaimlab.analysis;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.trace.CaptureSlices;
import dev.reclaimlab.trace.ChunkReader;
import dev.reclaimlab.trace.Cmdlines;
import dev.reclaimlab.trace.CpuRecords;
import dev.reclaimlab.trace.EventLayout;
import dev.reclaimlab.trace.FormatFiles;
import dev.reclaimlab.trace.HeaderPage;
import dev.reclaimlab.trace.Kallsyms;
import dev.reclaimlab.trace.MergedRecords;
import dev.reclaimlab.trace.PageDamage;
import dev.reclaimlab.trace.RawCapture;
import dev.reclaimlab.trace.TraceChunks;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The trace analytics engine: one streaming pass over tracefs text gives every reclaim metric ({@link TraceMetrics}).
 * The file is split at line boundaries into chunks that are parsed in parallel, each into counters, histograms and
 * per-task state only; chunks are merged strictly in file order, so the result is exactly that of a single pass
 * (begin/end pairs across chunk boundaries included). At most {@code 2 × threads} chunks are in flight, and every
 * table is bounded ({@link Limits}), so memory grows neither with the size of the trace nor with what it holds.
 *
 * <p>A chunk parsed ahead that meets a limit of its own, or would take the whole trace's past one, is parsed again on
 * the merge thread, in place: which task or name is the one too many depends on everything before it in the file,
 * and only the merge knows that. One thread parses every chunk in place, so both give the same result.
 *
 * <p>A binary capture goes the same way, cut into time slices instead of chunks of lines ({@link
 * #analyze(RawCapture)}).
 */
public final class ReclaimAnalyzer implements TraceAnalyzer {
    /**
     * Slices of a binary capture per thread, at most: more are not worth their lead-in pages, and each cut costs a
     * bisection of every CPU's pages.
     */
    private static final int SLICES_PER_THREAD = 16;

    /**
     * @param threads      parsing threads (default: the machine's CPUs)
     * @param chunkBytes   bytes per chunk; 0 picks one from the file size and the threads
     * @param bufferBytes  read buffer per thread
     * @param maxLineBytes longer lines are skipped as overlong (a trace line is a few hundred bytes)
     * @param limits       how large each table may grow
     */
    public record Options(int threads, long chunkBytes, int bufferBytes, int maxLineBytes, Limits limits) {
        public static Options defaults() {
            // a buffer that stays in the L2 cache between the copy and the parse; lines are a few hundred bytes
            return new Options(Runtime.getRuntime().availableProcessors(), 0, 512 << 10, 64 << 10, Limits.DEFAULT);
        }

        public Options withThreads(int n) {
            return new Options(n, chunkBytes, bufferBytes, maxLineBytes, limits);
        }

        public Options withChunkBytes(long n) {
            return new Options(threads, n, bufferBytes, maxLineBytes, limits);
        }

        public Options withLimits(Limits l) {
            return new Options(threads, chunkBytes, bufferBytes, maxLineBytes, l);
        }
    }

    private final Options options;

    public ReclaimAnalyzer() {
        this(Options.defaults());
    }

    public ReclaimAnalyzer(Options options) {
        if (options.threads() < 1) {
            throw new IllegalArgumentException("threads must be at least 1");
        }
        new ChunkReader(options.bufferBytes(), options.maxLineBytes()); // checks buffer > line limit now, not later
        this.options = options;
    }

    /** Analyses {@code trace} with the event format files {@code lab run} saved beside it, if any. */
    @Override
    public TraceMetrics analyze(Path trace) throws IOException {
        return analyze(trace, trace.toAbsolutePath().resolveSibling(RunLayout.FORMATS));
    }

    /** Analyses {@code trace}; {@code formatsDir} holds {@code <system>/<event>.format} files (may be absent). */
    public TraceMetrics analyze(Path trace, Path formatsDir) throws IOException {
        FormatFiles.Loaded formatFiles = FormatFiles.load(formatsDir);
        EventFields fields = EventFields.from(formatFiles.formats());
        TraceTally total = new TraceTally(fields.fromFormats(), formatFiles, options.limits());
        try (FileChannel file = FileChannel.open(trace, StandardOpenOption.READ)) {
            List<TraceChunks.Chunk> chunks = TraceChunks.split(file, chunkBytes(file.size()));
            ChunkReader inPlace = new ChunkReader(options.bufferBytes(), options.maxLineBytes());
            if (options.threads() == 1 || chunks.size() <= 1) {
                for (TraceChunks.Chunk chunk : chunks) {
                    ChunkTally tally = total.inPlace(fields);
                    inPlace.read(file, chunk, tally);
                    total.absorb(tally);
                }
            } else {
                parallel(file, chunks, fields, total, inPlace);
            }
        }
        return total.metrics();
    }

    /**
     * Analyses a binary capture (a run iteration's {@code raw/}, or the regions of a trace.dat named by its reader):
     * the same metrics as the text of the same events would give. Every CPU's pages are decoded one page at a time and
     * merged in time order ({@link MergedRecords}); damaged pages and records are counted and skipped.
     *
     * <p>With more than one thread the capture is cut into time slices ({@link CaptureSlices}) tallied side by side and
     * merged in time order exactly as the text path merges its chunks, so the result is that of one pass. Should time
     * run backwards on some CPU (a damaged capture), the cut may be wrong, and the capture is read in one pass instead.
     *
     * @throws IOException if a file cannot be read, or header_page does not describe a page (then nothing can be)
     */
    @Override
    public TraceMetrics analyze(RawCapture capture) throws IOException {
        RecordPass pass = new RecordPass(capture);
        if (options.threads() > 1) {
            long bytes = capture.cpus().stream().mapToLong(c -> c.pages().length()).sum();
            int wanted = (int) Math.min((long) SLICES_PER_THREAD * options.threads(), bytes / chunkBytes(bytes));
            List<CaptureSlices.Slice> slices = CaptureSlices.split(capture, pass.header, wanted);
            if (slices.size() > 1) {
                TraceMetrics sliced = slicedRecords(pass, slices);
                if (sliced != null) {
                    return sliced;
                }
            }
        }
        TraceTally total = pass.total();
        RecordTally tally = total.records(pass.fields).names(pass.symbols, pass.tasks);
        SliceOutcome outcome = pass.tally(CaptureSlices.whole(capture), tally);
        total.absorb(tally);
        return pass.finish(total, outcome.damage(), tally.unknownEventIds, tally.shortRecords);
    }

    /** What one binary capture's analyses share: its layout, formats, names. */
    private final class RecordPass {
        final RawCapture capture;
        final HeaderPage header;
        final RecordFields fields;
        final Kallsyms symbols;
        final Cmdlines tasks;
        private final long skippedFormats;
        private final List<FormatFiles.Skipped> unreadable = new ArrayList<>();

        RecordPass(RawCapture capture) throws IOException {
            this.capture = capture;
            this.header = HeaderPage.parse(capture.headerPage()).orElseThrow(() -> new IOException(
                    "header_page does not describe a ring-buffer page (timestamp, commit and data fields)"));
            Map<Integer, EventLayout> layouts = EventLayout.byId(capture.formats());
            long skipped = 0;
            for (Map.Entry<String, String> format : capture.formats().entrySet()) {
                if (EventLayout.parse(format.getValue()) == null) {
                    skipped++;
                    if (unreadable.size() < FormatFiles.SAMPLES) {
                        unreadable.add(new FormatFiles.Skipped(format.getKey() + ".format", "no name: or ID: line"));
                    }
                }
            }
            this.skippedFormats = skipped;
            this.fields = RecordFields.from(layouts);
            this.symbols = kallsyms(capture);
            this.tasks = cmdlines(capture);
        }

        TraceTally total() {
            return new TraceTally(fields.fromFormats(), new FormatFiles.Loaded(Map.of(), skippedFormats, unreadable),
                    options.limits());
        }

        /** Hands every item of {@code slice} to {@code tally}, in time order. */
        SliceOutcome tally(CaptureSlices.Slice slice, RecordTally tally) throws IOException {
            try (MergedRecords records = new MergedRecords(capture, header, slice)) {
                for (CpuRecords.Item item; (item = records.next()) != CpuRecords.Item.END; ) {
                    CpuRecords cpu = records.current();
                    if (item == CpuRecords.Item.LOST) {
                        tally.lost(cpu.cpu(), cpu.lostCount(), cpu.timestamp());
                    } else {
                        tally.record(cpu.cpu(), cpu.timestamp(), cpu.buffer(), cpu.recordOffset(), cpu.recordLength());
                    }
                }
                PageDamage damage = new PageDamage();
                records.cpus().forEach(c -> damage.add(c.damage()));
                return new SliceOutcome(damage, records.outOfOrder());
            }
        }

        TraceMetrics finish(TraceTally total, PageDamage damage, long unknownEventIds, long shortRecords) {
            total.capture(new TraceMetrics.Capture(capture.cpus().size(), damage.pages, damage.records,
                    damage.discarded, damage.timeExtends, damage.timeStamps, damage.truncatedPages,
                    damage.badCommitPages, damage.badEvents, damage.skippedBytes, unknownEventIds, shortRecords));
            return total.metrics();
        }
    }

    /** What decoding a slice met, and whether its cut could be wrong. */
    private record SliceOutcome(PageDamage damage, boolean outOfOrder) {}

    private record SliceResult(RecordTally tally, SliceOutcome outcome) {}

    /**
     * The slices tallied ahead on the pool and merged in time order, a slice that does not fit tallied again in place
     * (as {@link #parallel} does for text); null when some CPU's time ran backwards, so that one pass must decide.
     */
    private TraceMetrics slicedRecords(RecordPass pass, List<CaptureSlices.Slice> slices) throws IOException {
        TraceTally total = pass.total();
        PageDamage damage = new PageDamage();
        long[] unknownAndShort = new long[2];
        boolean whole = inOrder(slices, slice -> () -> {
            RecordTally tally = RecordTally.ahead(pass.fields, options.limits()).names(pass.symbols, pass.tasks);
            return new SliceResult(tally, pass.tally(slice, tally));
        }, (slice, result) -> {
            if (!result.outcome().outOfOrder() && !total.canAbsorb(result.tally())) {
                RecordTally again = total.records(pass.fields).names(pass.symbols, pass.tasks);
                result = new SliceResult(again, pass.tally(slice, again));
            }
            if (result.outcome().outOfOrder()) {
                return false;
            }
            total.absorb(result.tally());
            damage.add(result.outcome().damage());
            unknownAndShort[0] += result.tally().unknownEventIds;
            unknownAndShort[1] += result.tally().shortRecords;
            return true;
        });
        return whole ? pass.finish(total, damage, unknownAndShort[0], unknownAndShort[1]) : null;
    }

    private void parallel(FileChannel file, List<TraceChunks.Chunk> chunks, EventFields fields, TraceTally total,
                          ChunkReader inPlace) throws IOException {
        ThreadLocal<ChunkReader> readers = ThreadLocal.withInitial(
                () -> new ChunkReader(options.bufferBytes(), options.maxLineBytes()));
        inOrder(chunks, chunk -> () -> {
            ChunkTally tally = ChunkTally.ahead(fields, options.limits());
            readers.get().read(file, chunk, tally);
            return tally;
        }, (chunk, tally) -> {
            if (!total.canAbsorb(tally)) {
                tally = total.inPlace(fields);
                inPlace.read(file, chunk, tally);
            }
            total.absorb(tally);
            return true;
        });
    }

    private static Kallsyms kallsyms(RawCapture capture) throws IOException {
        if (capture.kallsyms().isEmpty()) {
            return Kallsyms.none();
        }
        try (InputStream in = capture.kallsyms().get().open()) {
            return Kallsyms.read(in);
        }
    }

    private static Cmdlines cmdlines(RawCapture capture) throws IOException {
        if (capture.cmdlines().isEmpty()) {
            return Cmdlines.none();
        }
        try (InputStream in = capture.cmdlines().get().open()) {
            return Cmdlines.read(in);
        }
    }

    /** Merges a part's result, in order; false to give up on the rest. */
    private interface Merge<P, R> {
        boolean merge(P part, R result) throws IOException;
    }

    /**
     * Works on {@code parts} ahead on the pool, at most {@code 2 × threads} at once, and hands each result to
     * {@code merge} strictly in the parts' order; false when {@code merge} gave up.
     */
    private <P, R> boolean inOrder(List<P> parts, Function<P, Callable<R>> ahead, Merge<P, R> merge)
            throws IOException {
        ExecutorService pool = analysisPool();
        try {
            Deque<Map.Entry<P, Future<R>>> inFlight = new ArrayDeque<>();
            int next = 0;
            int merged = 0;
            int window = 2 * options.threads();
            while (next < parts.size() || !inFlight.isEmpty()) {
                // The first part runs alone: meanwhile the just-in-time compiler turns the per-line code into
                // machine code on the other core(s), and more workers running the slow first version of it would
                // only take the CPU from it. On 2 CPUs this saved about a sixth of the CPU time of a 1 GB trace.
                int allowed = merged == 0 ? 1 : window;
                while (next < parts.size() && inFlight.size() < allowed) {
                    P part = parts.get(next++);
                    inFlight.add(Map.entry(part, pool.submit(ahead.apply(part))));
                }
                Map.Entry<P, Future<R>> oldest = inFlight.removeFirst();
                if (!merge.merge(oldest.getKey(), oldest.getValue().get())) {
                    return false;
                }
                merged++;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while analysing the trace");
        } catch (ExecutionException e) {
            throw rethrown(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private ExecutorService analysisPool() {
        return Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "lab-analyze");
            t.setDaemon(true);
            // A failure inside a chunk reaches the merging thread through its Future, which reports it. One outside
            // (an OutOfMemoryError in the pool's own bookkeeping) must not reach the default handler: printing it
            // needs memory too, and the JVM then prints a second error of its own beside lab's one line.
            t.setUncaughtExceptionHandler((thread, error) -> { });
            return t;
        });
    }

    /** A worker's failure as the merging thread throws it: I/O as I/O, an error as it is. */
    private static IOException rethrown(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof UncheckedIOException io) {
            return io.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error; // as it is: an OutOfMemoryError on a worker is the same as one on this thread
        }
        throw new IllegalStateException(cause);
    }

    /** Enough chunks to keep every thread busy and balanced, each between 1 MiB and 32 MiB. */
    private long chunkBytes(long size) {
        if (options.chunkBytes() > 0) {
            return options.chunkBytes();
        }
        long perChunk = size / (8L * options.threads());
        return Math.max(1 << 20, Math.min(32 << 20, perChunk));
    }
}
