package dev.reclaimlab.bisect;

import dev.reclaimlab.artifacts.IterationStatus;
import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.artifacts.RunStatus;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.Plan;
import dev.reclaimlab.report.CompareReport;
import dev.reclaimlab.report.LostEvents;
import dev.reclaimlab.report.RunData;
import dev.reclaimlab.report.Sample;
import dev.reclaimlab.run.RunEngine;
import dev.reclaimlab.run.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Measures a batch as {@code lab run} would: the plan, booted into the candidate, on one host, into a run directory of
 * its own (with its manifest, traces, consoles and report), then reads the bisect's metrics back from it.
 */
public final class RunMeasurer implements Bisector.Measurer {
    private final PlanFile plan;
    private final HostSpec host;
    private final List<Criterion> criteria;
    private final Function<Path, RunEngine> engines;

    /** @param engines a run engine writing into the given folder */
    public RunMeasurer(PlanFile plan, HostSpec host, List<Criterion> criteria, Function<Path, RunEngine> engines) {
        this.plan = plan;
        this.host = host;
        this.criteria = List.copyOf(criteria);
        this.engines = engines;
    }

    /** The plan with one variant booted into {@code candidate}, {@code repeats} times. */
    static PlanFile planFor(PlanFile plan, Candidate candidate, int repeats) {
        Plan own = plan.resolved().get(0);
        Plan booted = own.withBoot(candidate.target(own.bootTarget()),
                new dev.reclaimlab.yaml.Location(plan.source(), 1, 1));
        return new PlanFile(plan.source(), plan.name(), plan.variants(), repeats, List.of(booted));
    }

    @Override
    public Bisector.Batch measure(BisectState.Pending pending, Candidate candidate, Path runsDir) throws IOException {
        RunResult result = engines.apply(runsDir).run(planFor(plan, candidate, pending.repeats()), List.of(host));
        Measurement measurement = read(pending, result.dir().root());
        if (result.status() == RunStatus.INTERRUPTED) {
            return new Bisector.Batch(measurement, "interrupted");
        }
        try {
            CompareReport.writeForRun(result.dir()); // each batch's own report, linked from the bisect's
        } catch (IOException e) {
            // the bisect needs the samples, which are read; the run's page is a convenience
        }
        if (measurement.repeats().isEmpty() && measurement.untestable() == null) {
            Manifest manifest = result.dir().manifest();
            List<String> problems = manifest.hosts().stream().flatMap(h -> h.problems().stream()).toList();
            return new Bisector.Batch(measurement, "nothing was measured on " + host.name()
                    + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)) + " (see " + result.dir().root()
                    + "); once it is fixed, lab bisect --resume goes on");
        }
        return new Bisector.Batch(measurement, null);
    }

    @Override
    public Optional<Measurement> adopt(BisectState.Pending pending, Path runsDir) throws IOException {
        Optional<Path> runDir = runDirIn(runsDir);
        if (runDir.isEmpty()) {
            return Optional.empty();
        }
        Measurement m = read(pending, runDir.get());
        return m.repeats().isEmpty() ? Optional.empty() : Optional.of(m);
    }

    /** The run id of the run directory in {@code runsDir}, if the run got that far: what {@code lab cleanup} needs. */
    public static Optional<String> runId(Path runsDir) throws IOException {
        Optional<Path> dir = runDirIn(runsDir);
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(dev.reclaimlab.artifacts.RunDirectory.open(dir.get()).manifest().runId());
    }

    private static Optional<Path> runDirIn(Path runsDir) throws IOException {
        if (!Files.isDirectory(runsDir)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(runsDir)) {
            return children.filter(p -> Files.isRegularFile(p.resolve(RunLayout.MANIFEST))).findFirst();
        }
    }

    /** The batch's repeats as the run directory has them: finished ones with their figures, the rest by status. */
    Measurement read(BisectState.Pending pending, Path runDir) throws IOException {
        RunData run = RunData.load(runDir);
        List<Manifest.IterationEntry> iterations = run.manifest().iterations();
        List<Repeat> repeats = new ArrayList<>();
        String untestable = null;
        for (int i = 0; i < iterations.size(); i++) {
            Manifest.IterationEntry iteration = iterations.get(i);
            if (iteration.status() == IterationStatus.UNTESTABLE) {
                untestable = iteration.error();
                continue;
            }
            if (iteration.status() == IterationStatus.INTERRUPTED) {
                continue;
            }
            Sample sample = run.samples().get(i);
            Map<String, Double> values = new LinkedHashMap<>();
            for (Criterion c : criteria) {
                Double v = sample.values().get(c.metric());
                if (v != null) {
                    values.put(c.metric(), v);
                }
            }
            repeats.add(new Repeat(iteration.repeat(), iteration.dir(), iteration.status().word(), values,
                    LostEvents.of(sample).map(LostEvents::percent).orElse(null),
                    iteration.boot() == null ? null : iteration.boot().release(), iteration.error()));
        }
        List<String> boots = run.manifest().hosts().stream()
                .filter(h -> h.boots() != null).flatMap(h -> h.boots().stream())
                .filter(b -> b.outcome() == Manifest.BootOutcome.BOOTED && b.bootId() != null)
                .map(Manifest.BootEntry::bootId).toList();
        String relative = pending.runsDir() + "/" + runDir.getFileName();
        return new Measurement(pending.candidate(), pending.purpose(), relative, pending.startedAt(), boots, repeats,
                repeats.isEmpty() ? untestable : null);
    }
}
