package dev.reclaimlab.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reclaimlab.analysis.TraceAnalyzer;
import dev.reclaimlab.analysis.TraceMetrics;
import dev.reclaimlab.artifacts.Csv;
import dev.reclaimlab.artifacts.IterationStatus;
import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.FileTransfer;
import dev.reclaimlab.host.TransferResult;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.local.Trees;
import dev.reclaimlab.plan.TracingSpec;
import dev.reclaimlab.program.HostProgram;
import dev.reclaimlab.program.IterationProgram;
import dev.reclaimlab.program.WorkloadSteps;
import dev.reclaimlab.profile.ProfileMetrics;
import dev.reclaimlab.profile.SampledProfile;
import dev.reclaimlab.profile.SamplerOutput;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.step.Upload;
import dev.reclaimlab.trace.RawCapture;
import dev.reclaimlab.trace.TraceDat;
import dev.reclaimlab.trace.TraceDatWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Drives one host through a compiled program: the run-wide preparation, then each iteration's setup, run,
 * collection and teardown, and finally the teardown of everything. Teardown happens on success, on a failed step and
 * when the run is cancelled; only a crash of the orchestrator itself leaves work for {@code lab cleanup}.
 */
public final class HostRunner {
    private final HostSession session;
    private final HostProgram program;
    private final RunDirectory runDir;
    private final TraceAnalyzer analyzer;
    private final AtomicBoolean cancelled;
    private final Consumer<Manifest.IterationEntry> onIteration;
    private final Manifest.BootSeen boot;

    /** @param boot the kernel and command line lab booted the host into for these iterations; null when it did not */
    public HostRunner(HostSession session, HostProgram program, RunDirectory runDir, TraceAnalyzer analyzer,
                      AtomicBoolean cancelled, Manifest.BootSeen boot, Consumer<Manifest.IterationEntry> onIteration) {
        this.session = session;
        this.boot = boot;
        this.program = program;
        this.runDir = runDir;
        this.analyzer = analyzer;
        this.cancelled = cancelled;
        this.onIteration = onIteration;
    }

    /**
     * Runs the run-wide preparation steps. Afterwards, {@code check} may veto (e.g. events missing once tracefs is
     * mounted); the caller then tears down.
     */
    public void prepare() throws IOException, StepFailedException {
        List<Step> steps = new ArrayList<>(program.prepare());
        steps.addAll(program.install());
        session.runAll(steps, "run", step -> false);
        for (Upload upload : program.uploads()) {
            session.upload(upload, "run");
        }
    }

    /**
     * How a pass over the host's iterations ended.
     *
     * @param allOk  every iteration ran and was collected, and none failed
     * @param done   how many of the program's iterations have run (skipped ones included)
     * @param crash  the host's kernel went down during the last of them: the host needs recovering
     */
    record Pass(boolean allOk, int done, Optional<CrashCheck.Verdict> crash) {}

    /** What one iteration came to: its status, and the verdict when the host's kernel went down under it. */
    private record Ended(IterationStatus status, Optional<CrashCheck.Verdict> crash) {}

    /**
     * Runs the iterations after the first {@code skip} (those ran before the host went down); stops early on a broken
     * step, on cancellation, and when the host's kernel goes down (which {@code crashCheck}, where the host has one,
     * tells from a broken link).
     */
    Pass runIterations(int skip, Optional<CrashCheck> crashCheck) throws IOException {
        boolean allOk = true;
        int runWideMark = session.journalMark();
        List<IterationProgram> iterations = program.iterations();
        for (int i = skip; i < iterations.size(); i++) {
            if (cancelled.get()) {
                return new Pass(false, i, Optional.empty());
            }
            Ended ended = runIteration(iterations.get(i), runWideMark, crashCheck);
            allOk &= ended.status() == IterationStatus.OK;
            if (ended.crash().isPresent()) {
                return new Pass(false, i + 1, ended.crash());
            }
            if (!ended.status().collected()) {
                return new Pass(false, i + 1, Optional.empty()); // a broken setup breaks every later one
            }
        }
        return new Pass(allOk, iterations.size(), Optional.empty());
    }

    private Ended runIteration(IterationProgram iteration, int runWideMark, Optional<CrashCheck> crashCheck)
            throws IOException {
        String label = iteration.variant().label() + " r" + iteration.repeat();
        Instant started = Instant.now();
        long consoleMark = crashCheck.map(CrashCheck::consoleMark).orElse(0L);
        IterationStatus outcome = IterationStatus.OK;
        String error = null;
        Manifest.Artifacts artifacts;
        List<String> missing = new ArrayList<>();
        Timing timing = new Timing();
        try {
            // Setup and run go to the host as one batch: one round trip rather than one per step on a slow link.
            List<Step> steps = new ArrayList<>(iteration.setup());
            steps.addAll(iteration.run());
            try {
                List<ExecResult> results = session.runAll(steps, label, HostRunner::isWorkload);
                for (int i = 0; i < results.size(); i++) {
                    ExecResult result = results.get(i);
                    timing.add(steps.get(i), result);
                    if (result.ok()) {
                        continue;
                    }
                    if (result.timedOut()) {
                        throw new StepFailedException(session.host(), steps.get(i), result);
                    }
                    // A workload that exits non-zero (OOM-killed, timed out by its own timeout) is a result: the
                    // steps after it still stopped the trace and monitors, so they are collected.
                    outcome = IterationStatus.WORKLOAD_FAILED;
                    error = "a workload exited non-zero (see " + RunLayout.WORKLOADS_CSV + ")";
                }
                if (cancelled.get()) {
                    outcome = IterationStatus.INTERRUPTED;
                }
            } catch (StepFailedException e) {
                outcome = cancelled.get() ? IterationStatus.INTERRUPTED : IterationStatus.FAILED;
                error = e.getMessage();
                timing.add(e.step(), e.result());
            }
            long collecting = System.nanoTime();
            artifacts = collect(iteration, missing);
            timing.collected(System.nanoTime() - collecting);
        } catch (IOException e) {
            Optional<CrashCheck.Verdict> verdict = cancelled.get() || crashCheck.isEmpty() ? Optional.empty()
                    : crashCheck.get().judge(consoleMark);
            if (verdict.isEmpty()) {
                throw e;
            }
            session.stopHeartbeat(); // the host's run journal is torn down once it is back, on a new connection
            return wentDown(iteration, started, verdict.get());
        }
        if (!missing.isEmpty() && outcome == IterationStatus.OK) {
            outcome = IterationStatus.FAILED;
            error = "results missing: " + String.join(", ", missing);
        }
        long tearingDown = System.nanoTime();
        List<String> problems = cancelled.get() ? List.of() : session.teardownAfter(runWideMark, label);
        timing.tornDown(System.nanoTime() - tearingDown);
        session.note(label + ": " + timing.describe(Duration.between(started, Instant.now())));
        if (!problems.isEmpty()) {
            outcome = IterationStatus.FAILED;
            error = (error == null ? "" : error + "; ") + "teardown: " + String.join("; ", problems);
        }
        onIteration.accept(new Manifest.IterationEntry(session.host(), iteration.variant().values(),
                iteration.variant().label(), iteration.repeat(), iteration.localDir(), outcome, error,
                started.toString(), Duration.between(started, Instant.now()).toMillis(), artifacts,
                workloadExits(iteration), lostEvents(iteration), boot));
        return new Ended(outcome, Optional.empty());
    }

    private static boolean isWorkload(Step step) {
        return step.id().equals(WorkloadSteps.ID);
    }

    /**
     * Where an iteration's time went: in its workloads, in lab's own steps, collecting results, tearing down. Said in
     * the run's log per iteration, since lab's share is what a slow link or a slow host makes grow.
     */
    private static final class Timing {
        private Duration workloads = Duration.ZERO;
        private Duration steps = Duration.ZERO;
        private int stepCount;
        private Duration collecting = Duration.ZERO;
        private Duration teardown = Duration.ZERO;

        void add(Step step, ExecResult result) {
            if (isWorkload(step)) {
                workloads = workloads.plus(result.duration());
            } else {
                steps = steps.plus(result.duration());
                stepCount++;
            }
        }

        void collected(long nanos) {
            collecting = Duration.ofNanos(nanos);
        }

        void tornDown(long nanos) {
            teardown = Duration.ofNanos(nanos);
        }

        String describe(Duration total) {
            Duration lab = total.minus(workloads);
            return String.format(Locale.ROOT, "%s in workloads, %s in lab (%d steps %s, collecting %s, teardown %s,"
                    + " other %s)", seconds(workloads), seconds(lab), stepCount, seconds(steps), seconds(collecting),
                    seconds(teardown), seconds(lab.minus(steps).minus(collecting).minus(teardown)));
        }

        private static String seconds(Duration d) {
            return String.format(Locale.ROOT, "%.3fs", Math.max(d.toNanos(), 0) / 1e9);
        }
    }

    /** The iteration whose kernel went down: its verdict and the console around it are its result. */
    private Ended wentDown(IterationProgram iteration, Instant started, CrashCheck.Verdict verdict) throws IOException {
        String console = null;
        if (verdict.console().isPresent()) {
            console = iteration.localDir() + "/" + RunLayout.ITERATION_CONSOLE;
            runDir.write(console, Files.readAllBytes(verdict.console().get()));
        }
        onIteration.accept(new Manifest.IterationEntry(session.host(), iteration.variant().values(),
                iteration.variant().label(), iteration.repeat(), iteration.localDir(), verdict.status(),
                verdict.reason(), started.toString(), Duration.between(started, Instant.now()).toMillis(),
                Manifest.Artifacts.console(console), List.of(), null, boot));
        return new Ended(verdict.status(), Optional.of(verdict));
    }

    /** Brings back every result file that exists, then analyses the trace. Never throws for a missing result. */
    private Manifest.Artifacts collect(IterationProgram iteration, List<String> missing) throws IOException {
        List<FileTransfer.Download> wanted = iteration.fetches().stream()
                .map(f -> new FileTransfer.Download(f.remotePath(), runDir.resolve(f.localPath()))).toList();
        Map<String, TransferResult> arrived = FileTransfer.downloadAll(session.transport(), wanted,
                FileTransfer.DEFAULT_TIMEOUT);
        List<String> fetched = new ArrayList<>();
        for (Fetch fetch : iteration.fetches()) {
            if (arrived.containsKey(fetch.remotePath())) {
                fetched.add(fetch.localPath());
            } else if (!fetch.optional()) {
                missing.add(fetch.remotePath());
            }
        }
        String dir = iteration.localDir() + "/";
        String trace = pick(fetched, dir + RunLayout.TRACE);
        String metrics = null;
        Path iterationDir = runDir.resolve(iteration.localDir());
        TraceMetrics result = null;
        if (RawCapture.present(iterationDir)) {
            trace = dir + RunLayout.TRACE_DAT;
            result = analyzer.analyze(traceDat(iterationDir));
        } else if (trace != null) {
            if (iteration.capture().equals(Optional.of(TracingSpec.Capture.BINARY))) {
                session.note("WARNING: no binary capture on this host (no trace_pipe_raw); the text trace loses"
                        + " events in a storm");
            }
            result = analyzer.analyze(runDir.resolve(trace));
        }
        Optional<ProfileMetrics> profile = profile(iterationDir);
        if (result != null || profile.isPresent()) {
            metrics = dir + RunLayout.METRICS;
            ObjectNode json = result != null ? Json.mapper().valueToTree(result)
                    : Json.mapper().createObjectNode().put("format", TraceMetrics.FORMAT)
                            .put("version", TraceMetrics.VERSION);
            profile.ifPresent(p -> json.set("profile", Json.mapper().valueToTree(p)));
            runDir.writeJson(metrics, json);
        }
        return new Manifest.Artifacts(trace, pick(fetched, dir + RunLayout.TRACE_STATS),
                matching(fetched, dir + RunLayout.FORMATS + "/"), matching(fetched, dir + RunLayout.MONITORS + "/"),
                pick(fetched, dir + RunLayout.WORKLOADS_CSV), matching(fetched, dir + RunLayout.WORKLOADS + "/"),
                metrics, null);
    }

    /**
     * The iteration's kernel stack profile, if it has one: named with its boot's symbols, folded into
     * {@code profile/stacks.folded}, counted for metrics.json. What makes its figures doubtful is said in the run's log.
     */
    private Optional<ProfileMetrics> profile(Path iterationDir) throws IOException {
        Path samples = iterationDir.resolve(RunLayout.PROFILE_SAMPLES);
        if (!Files.isRegularFile(samples)) {
            return Optional.empty();
        }
        Path kallsyms = iterationDir.resolve(RunLayout.PROFILE_KALLSYMS);
        if (!Files.isRegularFile(kallsyms)) {
            session.note("WARNING: no kallsyms came back with the profile: its stacks are addresses, not names");
        }
        SampledProfile sampled = SampledProfile.fold(samples, kallsyms);
        try (Writer out = Files.newBufferedWriter(iterationDir.resolve(RunLayout.PROFILE_FOLDED),
                StandardCharsets.ISO_8859_1)) {
            sampled.stacks().write(out);
        }
        SamplerOutput.Summary summary = sampled.summary();
        if (summary.lostSamples() > 0) {
            session.note("WARNING: the profile lost " + summary.lostSamples() + " samples (its ring was full): its "
                    + "shares are of the samples kept");
        }
        if (!summary.ended()) {
            session.note("WARNING: the sampler's output has no end line (it was killed): the profile may be cut short");
        }
        if (summary.malformedLines() > 0) {
            session.note("WARNING: " + summary.malformedLines() + " lines of the sampler's output were not readable, "
                    + "first " + summary.firstMalformed());
        }
        return Optional.of(ProfileMetrics.of(sampled));
    }

    /**
     * Assembles the binary capture the host sent into the iteration's trace.dat, which trace-cmd and KernelShark open
     * and the analysis reads; the per-CPU files it came from then go (they would double the disk a trace takes).
     */
    private RawCapture traceDat(Path iterationDir) throws IOException {
        Path dat = iterationDir.resolve(RunLayout.TRACE_DAT);
        TraceDatWriter.Written written = TraceDat.writeIteration(iterationDir, dat);
        written.leftOut().forEach((cpu, bytes) -> {
            if (bytes > 0) {
                session.note("CPU " + cpu + "'s capture ended in " + bytes + " bytes of a page, left out of "
                        + iterationDir.relativize(dat) + " (the host stopped mid-page)");
            }
        });
        Trees.delete(iterationDir.resolve(RunLayout.RAW));
        return TraceDat.read(dat);
    }

    /** workloads.csv, by column name; rows that do not parse are left out. */
    private List<Manifest.WorkloadExit> workloadExits(IterationProgram iteration) throws IOException {
        List<Manifest.WorkloadExit> exits = new ArrayList<>();
        for (Map<String, String> row : Csv.records(runDir.resolve(iteration.localDir() + "/" + RunLayout.WORKLOADS_CSV))) {
            String copy = row.getOrDefault("copy", "");
            String exit = row.getOrDefault("exit", "");
            if (row.containsKey("workload") && copy.matches("\\d{1,9}") && exit.matches("-?\\d{1,9}")) {
                exits.add(new Manifest.WorkloadExit(row.get("workload"), Integer.parseInt(copy), Integer.parseInt(exit)));
            }
        }
        return exits;
    }

    /** Overruns and drops the ring buffer counted, from trace.stats; null without tracing. */
    private Long lostEvents(IterationProgram iteration) throws IOException {
        Path stats = runDir.resolve(iteration.localDir() + "/" + RunLayout.TRACE_STATS);
        if (!Files.exists(stats)) {
            return null;
        }
        long lost = 0;
        for (String line : Files.readAllLines(stats)) {
            for (String word : line.split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0 && word.substring(eq + 1).matches("\\d+")) {
                    lost += Long.parseLong(word.substring(eq + 1));
                }
            }
        }
        return lost;
    }

    private static String pick(List<String> fetched, String path) {
        return fetched.contains(path) ? path : null;
    }

    private static List<String> matching(List<String> fetched, String prefix) {
        List<String> found = fetched.stream().filter(p -> p.startsWith(prefix)).toList();
        return found.isEmpty() ? null : found;
    }
}
