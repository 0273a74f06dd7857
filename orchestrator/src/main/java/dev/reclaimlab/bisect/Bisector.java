package dev.reclaimlab.bisect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Drives a bisect to its end: asks {@link Bisection} what to measure next, has the {@link Measurer} measure it, records
 * it in {@code bisect.json}, and again, until the analysis says it is over or a batch was cut short (Ctrl-C, a host that
 * cannot be reached). The state is written before each batch (as pending) and after it, so {@code --resume} goes on
 * exactly where this stopped.
 */
public final class Bisector {
    /** Measures batches of a plan on one host. */
    public interface Measurer {
        /**
         * Runs {@code pending.repeats()} repeats of the plan on {@code candidate}, into a run directory under
         * {@code runsDir}.
         */
        Batch measure(BisectState.Pending pending, Candidate candidate, Path runsDir) throws IOException;

        /** The repeats that finished of a batch whose lab was killed: its run directory under {@code runsDir}, if any. */
        Optional<Measurement> adopt(BisectState.Pending pending, Path runsDir) throws IOException;
    }

    /**
     * A batch as it ended.
     *
     * @param stop why the bisect cannot go on now (interrupted, the host lost); null when it can
     */
    public record Batch(Measurement measurement, String stop) {}

    /**
     * How a bisect stopped.
     *
     * @param stopped why it stopped before its end; null when the analysis is over
     */
    public record Ended(Analysis analysis, String stopped) {}

    private final Path dir;
    private final Measurer measurer;
    private final Consumer<String> progress;
    private final java.time.Instant deadline;

    public Bisector(Path dir, Measurer measurer, Consumer<String> progress) {
        this(dir, measurer, progress, null);
    }

    private Bisector(Path dir, Measurer measurer, Consumer<String> progress, java.time.Instant deadline) {
        this.dir = dir;
        this.measurer = measurer;
        this.progress = progress;
        this.deadline = deadline;
    }

    /**
     * This bisect, starting no batch after {@code deadline} (a nightly job's budget): it stops as a cut-short bisect
     * does, its state kept for {@code --resume}. Null: no limit.
     */
    public Bisector until(java.time.Instant deadline) {
        return new Bisector(dir, measurer, progress, deadline);
    }

    public Ended run(BisectState start) throws IOException {
        BisectState state = start;
        if (state.pending() != null) {
            BisectState.Pending cut = state.pending();
            Optional<Measurement> adopted = measurer.adopt(cut, dir.resolve(cut.runsDir()));
            state = adopted.map(state::with).orElse(state.withPending(null));
            progress.accept(adopted.map(m -> "took " + m.repeats().size() + " finished repeat(s) of the batch that was "
                    + "cut short on " + kernel(start, cut.candidate()) + "; measuring only the rest")
                    .orElse("the batch that was cut short on " + kernel(start, cut.candidate()) + " left nothing"));
        }
        while (true) {
            Analysis analysis = state.analyze();
            state.save(dir, analysis);
            Analysis.Action next = analysis.next();
            if (next == null) {
                return new Ended(analysis, null);
            }
            Candidate candidate = state.settings().candidates().get(next.candidate());
            if (deadline != null && java.time.Instant.now().isAfter(deadline)) {
                return new Ended(analysis, "the time budget is spent (" + analysis.answer() + ")");
            }
            progress.accept("batch " + (state.measurements().size() + 1) + ": " + candidate.label() + ", "
                    + next.repeats() + " repeat" + (next.repeats() == 1 ? "" : "s") + " (" + analysis.answer() + ")");
            String runs = String.format("runs/%03d", state.measurements().size() + 1);
            BisectState.Pending pending = new BisectState.Pending(next.candidate(), next.purpose(), next.repeats(),
                    runs, java.time.Instant.now().toString());
            state = state.withPending(pending);
            state.save(dir, analysis);
            Batch batch = measurer.measure(pending, candidate, dir.resolve(runs));
            if (batch.stop() != null) {
                // the pending record stays: --resume takes what finished of this batch
                state.save(dir, analysis);
                return new Ended(analysis, batch.stop());
            }
            state = state.with(batch.measurement());
        }
    }

    private static String kernel(BisectState state, int candidate) {
        return state.settings().candidates().get(candidate).label();
    }
}
