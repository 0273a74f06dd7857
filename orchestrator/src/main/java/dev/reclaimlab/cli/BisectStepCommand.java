package dev.reclaimlab.cli;

import dev.reclaimlab.analysis.ReclaimAnalyzer;
import dev.reclaimlab.bisect.Analysis;
import dev.reclaimlab.bisect.BisectSettings;
import dev.reclaimlab.bisect.BisectState;
import dev.reclaimlab.bisect.Bisector;
import dev.reclaimlab.bisect.Candidate;
import dev.reclaimlab.bisect.HostLease;
import dev.reclaimlab.bisect.Measurement;
import dev.reclaimlab.bisect.RunMeasurer;
import dev.reclaimlab.bisect.Verdict;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.kmod.ModuleTemplates;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.run.RunEngine;
import dev.reclaimlab.units.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "step", mixinStandardHelpOptions = true,
        description = {"Measure one kernel against the endpoints of a bisect already measured (--against DIR) and exit "
                + "as `git bisect run` expects: for bisecting commits of your own tree, e.g.",
                "  git bisect run sh -c 'make -j8 Image modules && make install-to-dir && "
                        + "lab bisect step plan.yaml --host arm01 --kernel-from out/ --against bisects/base'",
                "Every failure of lab itself exits 128, which stops git bisect, so that no error is taken for a bad "
                        + "commit; a step that runs out of --timeout is skipped (125), never bad."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:good", "1:bad", "125:skip: untestable, unknown after the most repeats, or timed out",
                "128:abort: lab could not do the step (bad input, the host lost, interrupted)"})
final class BisectStepCommand implements Callable<Integer> {
    static final int GOOD = 0;
    static final int BAD = 1;
    static final int SKIP = 125;
    static final int ABORT = 128;

    @Parameters(paramLabel = "PLAN", description = "The plan (YAML), as the bisect in --against measured it.")
    Path planFile;

    @Mixin
    HostOptions hostOptions;

    static final class Kernel {
        @Option(names = "--kernel", paramLabel = "K", required = true,
                description = "The kernel, as a plan's boot.kernel takes it.")
        String kernel;

        @Option(names = "--kernel-from", paramLabel = "DIR", required = true,
                description = "A folder with vmlinuz, initrd and optionally modules (your build).")
        Path folder;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kernel kernel;

    @Option(names = "--cmdline-add", paramLabel = "WORD", description = "Boot with this command-line word too "
            + "(repeatable).")
    List<String> add = new ArrayList<>();

    @Option(names = "--cmdline-remove", paramLabel = "WORD", description = "Boot without this word (repeatable).")
    List<String> remove = new ArrayList<>();

    @Option(names = "--against", paramLabel = "DIR", required = true,
            description = "A bisect whose endpoints were measured: their samples are what this step is judged against.")
    Path against;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Skip (125) the step if it takes longer "
            + "(e.g. 30m); the host is torn down and booted back first.")
    String timeout;

    @Override
    public Integer call() {
        try {
            return step();
        } catch (Exception e) { // UserError too: any failure of lab must stop git bisect, never mark a commit
            System.err.println("lab bisect step: " + e.getMessage() + " (exit " + ABORT + ": git bisect stops)");
            return ABORT;
        }
    }

    private int step() throws Exception {
        BisectState base = BisectState.load(against);
        BisectSettings s = base.settings();
        String k = kernel.kernel != null ? kernel.kernel : kernel.folder.toAbsolutePath().normalize().toString();
        dev.reclaimlab.boot.BootTarget target = BootCommand.target(k, add, remove); // checked as lab boot checks
        Candidate candidate = new Candidate(target.kernel().orElseThrow(), target.add(), target.remove(), null, null, null);
        List<Candidate> three = List.of(s.candidates().get(s.good()), candidate, s.candidates().get(s.bad()));
        BisectSettings settings = new BisectSettings(s.plan(), s.planSha256(), s.host(), three, 0, 2, s.repeats(),
                s.maxRepeats(), s.maxSpreadPercent(), s.criteria(), s.maxLostPercent(), s.wentDown());
        BisectState state = BisectState.start(settings);
        for (Measurement m : base.measurements()) {
            if (m.candidate() == s.good() || m.candidate() == s.bad()) {
                int index = m.candidate() == s.good() ? 0 : 2;
                state = state.with(new Measurement(index, m.purpose(), m.runDir(), m.startedAt(), m.boots(),
                        m.repeats(), m.untestable()));
            }
        }
        if (!dev.reclaimlab.local.Digests.sha256(java.nio.file.Files.readAllBytes(planFile)).equals(s.planSha256())) {
            throw new UserError(planFile + " is not the plan the bisect in " + against + " measured its endpoints "
                    + "with (" + s.plan() + "); a step is judged against those", ExitCodes.BAD_INPUT);
        }
        PlanFile plan = PlanLoader.load(planFile);
        Inventory inventory = hostOptions.loadInventory();
        HostSpec host = BisectCommand.oneHost(hostOptions, inventory, plan);
        Transports transports = new Transports(inventory, hostOptions.acceptNewHostKeys);
        TerminalProgress progress = new TerminalProgress(System.err);
        Path dir = against.resolve("steps").resolve(RunEngine.newRunId());
        if (timeout != null) {
            watch(Durations.parse(timeout));
        }
        try (HostLease lease = HostLease.take(LabHome.fromEnvironment().root(), host.name(), dir)) {
            ModulePreparation modules = new ModulePreparation(new ModuleTemplates(), LabHome.fromEnvironment());
            HostBootMethods bootMethods = new HostBootMethods(transports);
            RunMeasurer measurer = new RunMeasurer(plan, host, settings.criteria(),
                    runsDir -> new RunEngine(runsDir, transports, new ReclaimAnalyzer(), modules, progress, bootMethods));
            List<Measurement> taken = new ArrayList<>();
            while (true) {
                Analysis a = state.analyze();
                Analysis.Judged judged = a.candidates().size() > 1 ? a.candidates().get(1) : null;
                Analysis.Action next = a.next();
                if (next == null || next.candidate() != 1 || next.purpose().equals(Measurement.CONFIRM)) {
                    return verdict(a, judged);
                }
                String runs = "runs/" + (taken.size() + 1);
                BisectState.Pending pending = new BisectState.Pending(1, next.purpose(), next.repeats(), runs,
                        java.time.Instant.now().toString());
                Bisector.Batch batch = measurer.measure(pending, candidate, dir.resolve(runs));
                if (batch.stop() != null) {
                    throw new java.io.IOException(batch.stop());
                }
                taken.add(batch.measurement());
                state = state.with(batch.measurement());
                state.save(dir, state.analyze());
            }
        }
    }

    /** The step's exit code from its candidate's verdict; endpoints that do not separate are nothing to judge by. */
    private static int verdict(Analysis a, Analysis.Judged judged) {
        if (a.used().isEmpty()) {
            System.err.println("lab bisect step: the endpoints of --against do not separate: " + a.answer());
            return ABORT;
        }
        Verdict v = judged == null ? Verdict.UNMEASURED : judged.verdict();
        System.out.println(v.word() + ": " + (judged == null ? "" : judged.kernel() + ": " + judged.reason()));
        return switch (v) {
            case GOOD -> GOOD;
            case BAD -> BAD;
            default -> SKIP;
        };
    }

    /**
     * Exits 125 once {@code limit} has passed: the run's own interrupt handling (a shutdown hook) tears the host down
     * and boots it back on the way out, and git bisect skips the commit instead of calling it bad.
     */
    private static void watch(Duration limit) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(limit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("lab bisect step: timed out after " + limit + ": skip (" + SKIP + ")");
            Runtime.getRuntime().exit(SKIP);
        }, "lab-step-timeout");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
