package dev.reclaimlab.cli;

import dev.reclaimlab.analysis.ReclaimAnalyzer;
import dev.reclaimlab.bisect.Analysis;
import dev.reclaimlab.bisect.BisectReport;
import dev.reclaimlab.bisect.BisectSettings;
import dev.reclaimlab.bisect.BisectState;
import dev.reclaimlab.bisect.Bisector;
import dev.reclaimlab.bisect.Candidate;
import dev.reclaimlab.bisect.CandidateFile;
import dev.reclaimlab.bisect.Criterion;
import dev.reclaimlab.bisect.HostLease;
import dev.reclaimlab.bisect.RunMeasurer;
import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.history.RunIndexer;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.kmod.ModuleTemplates;
import dev.reclaimlab.local.Digests;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.plan.Plan;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.run.RunEngine;
import dev.reclaimlab.units.Durations;
import dev.reclaimlab.vm.DebianChangelog;
import dev.reclaimlab.vm.DebianKernelPackages;
import dev.reclaimlab.vm.DebianVersion;
import dev.reclaimlab.vm.Kernels;
import dev.reclaimlab.vm.VmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bisect", mixinStandardHelpOptions = true,
        description = {"Find the first of an ordered list of kernels on which the plan's regression (its verdict's "
                + "regression limits, against the good endpoint) shows. Both endpoints are measured first and must "
                + "separate; every candidate gets repeats and a verdict (good, bad, unknown) against both; candidates "
                + "that cannot be booted or judged are skipped; the answer is measured once more to confirm it.",
                "State, runs and report go into --out; `lab bisect --resume DIR` goes on after Ctrl-C or a crash."},
        subcommands = {BisectReportCommand.class, BisectStepCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:found: the first bad kernel, confirmed",
                "2:bad plan, candidates or command line (nothing touched)",
                "5:no regression: the endpoints do not separate",
                "6:inconclusive: a range could not be split, the metric is not stable, or the confirmation disagreed",
                "7:aborted: an endpoint cannot be measured, or the host was lost (--resume once it is back)",
                "130:interrupted; the host was torn down (--resume goes on)"})
final class BisectCommand implements Callable<Integer> {
    static final int NO_REGRESSION = 5;
    static final int INCONCLUSIVE = 6;
    static final int ABORTED = 7;

    @Parameters(paramLabel = "PLAN", arity = "0..1", description = "The plan (YAML): one variant, and a verdict with "
            + "regression limits.")
    Path planFile;

    @Mixin
    HostOptions hostOptions;

    @Mixin
    DbOptions db;

    @Option(names = "--candidates", paramLabel = "SPEC", description = "A YAML file listing kernels oldest first; "
            + "apt:GLOB (Debian kernel packages for the host's architecture, by Debian version); or installed.")
    String candidates;

    @Option(names = "--good", paramLabel = "K", description = "The good endpoint (default: the first candidate).")
    String good;

    @Option(names = "--bad", paramLabel = "K", description = "The bad endpoint (default: the last candidate).")
    String bad;

    @Option(names = "--repeats", paramLabel = "N", description = "Repeats per batch (default: ${DEFAULT-VALUE}; "
            + "4 is the fewest with which a difference can be significant).")
    int repeats = 5;

    @Option(names = "--max-repeats", paramLabel = "M", description = "Repeats a kernel may get in all while its "
            + "verdict is unknown (default: twice --repeats).")
    Integer maxRepeats;

    @Option(names = "--max-spread", paramLabel = "PCT", description = "Refuse a metric whose relative standard "
            + "deviation on an endpoint passes this (default: ${DEFAULT-VALUE}).")
    double maxSpread = BisectSettings.DEFAULT_MAX_SPREAD_PERCENT;

    @Option(names = "--metric", paramLabel = "M", description = "Judge only by this of the verdict's regression "
            + "metrics (repeatable).")
    List<String> metrics = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where the bisect's state, runs and report go "
            + "(default: bisects/TIME-PLAN).")
    Path out;

    @Option(names = "--budget", paramLabel = "DURATION", description = "Start no batch after this long (e.g. 2h); the "
            + "bisect stops as an interrupted one does, and --resume goes on.")
    String budget;

    @Option(names = "--resume", paramLabel = "DIR", description = "Go on with the bisect in DIR where it stopped.")
    Path resume;

    @Override
    public Integer call() throws Exception {
        if (resume != null) {
            return resume(resume);
        }
        if (planFile == null || candidates == null) {
            throw new UserError("lab bisect needs PLAN and --candidates (or --resume DIR)", ExitCodes.BAD_INPUT);
        }
        if (repeats < 2 || (maxRepeats != null && maxRepeats < repeats)) {
            throw new UserError("--repeats must be at least 2, and --max-repeats at least --repeats",
                    ExitCodes.BAD_INPUT);
        }
        PlanFile plan = PlanLoader.load(planFile);
        List<Criterion> criteria = criteria(plan, metrics);
        Inventory inventory = hostOptions.loadInventory();
        HostSpec host = oneHost(hostOptions, inventory, plan);
        Transports transports = new Transports(inventory, hostOptions.acceptNewHostKeys);
        List<Candidate> list = candidates(candidates, host, transports);
        int goodIndex = good == null ? 0 : index(list, good, "--good");
        int badIndex = bad == null ? list.size() - 1 : index(list, bad, "--bad");
        if (goodIndex >= badIndex) {
            throw new UserError("--good must come before --bad among the candidates (oldest first)", ExitCodes.BAD_INPUT);
        }
        Path dir = out != null ? out : Path.of("bisects", RunEngine.newRunId() + "-" + plan.name());
        if (Files.exists(dir.resolve(BisectState.FILE))) {
            throw new UserError(dir + " holds a bisect already: lab bisect --resume " + dir, ExitCodes.BAD_INPUT);
        }
        Files.createDirectories(dir);
        byte[] planBytes = Files.readAllBytes(planFile);
        Files.write(dir.resolve(PLAN_COPY), planBytes);
        BisectSettings settings = new BisectSettings(planFile.toString(), Digests.sha256(planBytes), host.name(), list,
                goodIndex, badIndex, repeats, maxRepeats == null ? 2 * repeats : maxRepeats, maxSpread, criteria,
                plan.resolved().get(0).verdict().maxLostPercent(), plan.resolved().get(0).verdict().wentDown());
        System.err.printf("lab bisect: %d candidates, %s (good) … %s (bad), on %s, into %s%n", list.size(),
                list.get(goodIndex).label(), list.get(badIndex).label(), host.name(), dir);
        return bisect(dir, BisectState.start(settings), plan, host, inventory, transports);
    }

    /** Every batch's run goes into the results database, as every run lab makes does; one that cannot is said. */
    private void index(Path dir) {
        Path runs = dir.resolve("runs");
        if (!Files.isDirectory(runs)) {
            return;
        }
        try (ResultsDatabase results = db.open(); java.util.stream.Stream<Path> batches = Files.list(runs)) {
            RunIndexer indexer = new RunIndexer(results);
            for (Path batch : batches.sorted().toList()) {
                try (java.util.stream.Stream<Path> inBatch = Files.list(batch)) {
                    for (Path run : inBatch.filter(p -> Files.isRegularFile(p.resolve("manifest.json"))).toList()) {
                        indexer.index(run, "bisect");
                    }
                }
            }
        } catch (IOException | UserError e) {
            System.err.println("lab bisect: the batches' runs are not in the results database: " + e.getMessage()
                    + " (lab history import " + runs + "/*/* adds them)");
        }
    }

    private Instant deadline() {
        if (budget == null) {
            return null;
        }
        return Instant.now().plus(Durations.tryParse(budget).orElseThrow(() ->
                new UserError("--budget " + budget + ": expected " + Durations.EXPECTED,
                        ExitCodes.BAD_INPUT)));
    }

    /** The copy of the plan a bisect keeps: --resume and reports use it, whatever became of the original. */
    static final String PLAN_COPY = "plan.yaml";

    private Integer resume(Path dir) throws Exception {
        BisectState state = BisectState.load(dir);
        PlanFile plan = PlanLoader.load(dir.resolve(PLAN_COPY));
        Inventory inventory = hostOptions.loadInventory();
        HostSpec host = inventory.host(state.settings().host()).orElseThrow(() -> new UserError("no host named "
                + state.settings().host() + " in the inventory (the bisect ran there)", ExitCodes.BAD_INPUT));
        Transports transports = new Transports(inventory, hostOptions.acceptNewHostKeys);
        System.err.printf("lab bisect: resuming %s on %s (%d batches recorded)%n", dir, host.name(),
                state.measurements().size());
        return bisect(dir, state, plan, host, inventory, transports);
    }

    private Integer bisect(Path dir, BisectState state, PlanFile plan, HostSpec host, Inventory inventory,
                           Transports transports) throws Exception {
        TerminalProgress progress = new TerminalProgress(System.err);
        try (HostLease lease = HostLease.take(LabHome.fromEnvironment().root(), host.name(), dir)) {
            if (state.pending() != null) {
                cleanUpCutBatch(dir.resolve(state.pending().runsDir()), host);
            }
            ModulePreparation modules = new ModulePreparation(new ModuleTemplates(), LabHome.fromEnvironment());
            HostBootMethods bootMethods = new HostBootMethods(transports);
            RunMeasurer measurer = new RunMeasurer(plan, host, state.settings().criteria(),
                    runsDir -> new RunEngine(runsDir, transports, new ReclaimAnalyzer(), modules, progress, bootMethods)
                            .leavingTheLastKernelBooted());
            Bisector.Ended ended = null;
            try {
                ended = new Bisector(dir, measurer, message -> progress.info("bisect", message)).until(deadline())
                        .run(state);
            } finally {
                // Each batch leaves its candidate booted for the next to boot over; the host's own comes last. After
                // Ctrl-C the run's interrupt handling has booted it back already.
                if (ended == null || !"interrupted".equals(ended.stopped())) {
                    CleanupCommand.bootDefault(host, transports, false);
                }
            }
            BisectState last = BisectState.load(dir);
            keepChangelog(dir, last.settings(), ended.analysis());
            Path report = BisectReport.write(dir, last, ended.analysis());
            index(dir);
            print(ended.analysis(), dir, report);
            if (ended.stopped() != null) {
                System.out.println("stopped:  " + ended.stopped() + "; lab bisect --resume " + dir + " goes on");
                return ended.stopped().equals("interrupted") ? ExitCodes.INTERRUPTED : ABORTED;
            }
            return exitCode(ended.analysis().outcome());
        } catch (HostLease.LeaseTakenException e) {
            throw new UserError(e.getMessage(), ExitCodes.FAILED);
        }
    }

    /**
     * A batch cut short by a crash of lab left its run's changes on the host, and perhaps the candidate kernel booted:
     * that run's journal is replayed (its orchestrator is gone: this bisect holds the lease) and the host booted back
     * to its default before the bisect goes on.
     */
    private void cleanUpCutBatch(Path runsDir, HostSpec host) throws Exception {
        Optional<String> runId = RunMeasurer.runId(runsDir);
        CleanupCommand cleanup = new CleanupCommand();
        cleanup.hostOptions = hostOptions;
        cleanup.hostOptions.hosts = List.of(host.name());
        cleanup.runId = runId.orElse(null);
        cleanup.force = true;
        System.err.println("lab bisect: undoing what the batch that was cut short left on " + host.name());
        int exit = cleanup.call();
        if (exit != ExitCodes.OK) {
            throw new UserError("cannot clean up " + host.name() + " after the batch that was cut short; "
                    + "fix it, then lab bisect --resume again", exit);
        }
    }

    /**
     * Where the last good and the first bad are Debian builds, what their changelog says changed between them goes into
     * {@code DIR/changelog.txt} (the first bad build's package is downloaded once for it). Nothing is lost without it.
     */
    private static void keepChangelog(Path dir, BisectSettings settings, Analysis a) {
        Path file = dir.resolve(BisectReport.CHANGELOG);
        if (a.next() != null || a.lastGood() == null || a.firstBad() == null || Files.exists(file)) {
            return;
        }
        Candidate good = settings.candidates().get(a.lastGood());
        Candidate bad = settings.candidates().get(a.firstBad());
        if (good.version() == null || bad.pkg() == null) {
            return;
        }
        try {
            String changelog = DebianKernelPackages.changelog(new DebianKernelPackages.Build(bad.kernel(), bad.pkg(),
                    bad.version(), bad.checksum()), dir);
            List<DebianChangelog.Entry> since = DebianChangelog.since(DebianChangelog.entries(changelog), good.version());
            Files.writeString(dir.resolve(BisectReport.CHANGELOG), String.join("\n\n",
                    since.stream().map(DebianChangelog.Entry::text).toList()) + "\n");
        } catch (IOException | VmException e) {
            System.err.println("lab bisect: no changelog between " + good.label() + " and " + bad.label() + ": "
                    + e.getMessage());
        }
    }

    static void print(Analysis a, Path dir, Path report) {
        System.out.println("outcome:  " + a.outcome().word());
        System.out.println("answer:   " + a.answer());
        a.confidence().forEach(c -> System.out.println("          " + c));
        System.out.println("kernels:  " + a.kernelsBooted() + " booted, " + a.boots() + " boots, " + a.path().size()
                + " batches");
        System.out.println("state:    " + dir.resolve(BisectState.FILE));
        System.out.println("report:   " + report);
    }

    static int exitCode(Analysis.Outcome outcome) {
        return switch (outcome) {
            case FOUND -> ExitCodes.OK;
            case NO_REGRESSION -> NO_REGRESSION;
            case INCONCLUSIVE -> INCONCLUSIVE;
            case ABORTED, MEASURING -> ABORTED;
        };
    }

    /** The plan's regression limits (or those --metric names): what a bisect judges by. */
    static List<Criterion> criteria(PlanFile plan, List<String> only) {
        if (plan.variants().size() != 1) {
            throw new UserError(plan.source() + ": a bisect measures one variant; this plan has "
                    + plan.variants().size() + " (" + String.join(", ", plan.variants().stream()
                    .map(v -> v.label()).toList()) + "): give it one", ExitCodes.BAD_INPUT);
        }
        Plan own = plan.resolved().get(0);
        List<Criterion> all = own.verdict().regression().stream().map(Criterion::of).toList();
        if (all.isEmpty()) {
            throw new UserError(plan.source() + ": the plan's verdict names no regression limit; a bisect needs one, "
                    + "e.g. verdict: {regression: [{metric: memcg_reclaim.latency_us.p50, increase: 20%}]}",
                    ExitCodes.BAD_INPUT);
        }
        if (only.isEmpty()) {
            return all;
        }
        List<Criterion> kept = all.stream().filter(c -> only.contains(c.metric())).toList();
        if (kept.size() != only.size()) {
            throw new UserError("--metric: the plan's regression limits are on " + String.join(", ",
                    all.stream().map(Criterion::metric).toList()), ExitCodes.BAD_INPUT);
        }
        return kept;
    }

    static HostSpec oneHost(HostOptions options, Inventory inventory, PlanFile plan) {
        List<HostSpec> hosts = options.select(inventory, plan);
        if (hosts.size() != 1) {
            throw new UserError("a bisect drives one host; give it with --host", ExitCodes.BAD_INPUT);
        }
        return hosts.get(0);
    }

    /** The candidates {@code spec} names, oldest first. */
    static List<Candidate> candidates(String spec, HostSpec host, Transports transports) throws Exception {
        List<Candidate> list;
        if (spec.startsWith("apt:")) {
            String glob = spec.substring("apt:".length());
            try {
                list = DebianKernelPackages.matching(glob, machine(host, transports)).stream()
                        .map(b -> new Candidate(b.abi(), List.of(), List.of(), b.pkg(), b.version(), b.sha256())).toList();
            } catch (VmException e) {
                throw new UserError("--candidates " + spec + ": " + e.getMessage(), ExitCodes.BAD_INPUT);
            }
        } else if (spec.equals("installed")) {
            list = installed(host, transports).stream().map(Candidate::kernel).toList();
        } else {
            list = withDebianBuilds(CandidateFile.load(Path.of(spec)), host, transports);
        }
        if (list.size() < 2) {
            throw new UserError("--candidates " + spec + ": " + list.size() + " kernel(s) found; a bisect needs a good "
                    + "and a bad one at least", ExitCodes.BAD_INPUT);
        }
        return list;
    }

    /**
     * Candidates of a file that name a Debian build by its ABI get its package, version and checksum, as apt's do: the
     * report then shows versions and what the changelog says between the last good and the first bad.
     */
    private static List<Candidate> withDebianBuilds(List<Candidate> list, HostSpec host, Transports transports) {
        try {
            java.util.Map<String, DebianKernelPackages.Build> builds = new java.util.HashMap<>();
            for (DebianKernelPackages.Build b : DebianKernelPackages.matching("*", machine(host, transports))) {
                builds.put(b.abi(), b);
            }
            return list.stream().map(c -> {
                DebianKernelPackages.Build b = builds.get(c.kernel());
                return b == null ? c : new Candidate(c.kernel(), c.add(), c.remove(), b.pkg(), b.version(), b.sha256());
            }).toList();
        } catch (IOException | VmException e) {
            return list; // apt cannot say: the candidates are as the file gives them
        }
    }

    static String machine(HostSpec host, Transports transports) throws IOException {
        if (host.kind() instanceof HostKind.Vm) {
            return "aarch64";
        }
        try (Transport transport = transports.open(host)) {
            return transport.exec("uname -m", Duration.ofSeconds(30)).stdout().strip();
        }
    }

    /** The kernels the host has: a lab vm's prepared in the cache, any other's in its {@code /boot}. */
    static List<String> installed(HostSpec host, Transports transports) throws IOException {
        List<String> releases = new ArrayList<>();
        if (host.kind() instanceof HostKind.Vm) {
            releases.addAll(Kernels.cachedReleases(LabHome.fromEnvironment()));
        } else {
            try (Transport transport = transports.open(host)) {
                ExecResult ls = transport.exec("ls -1 /boot", Duration.ofSeconds(30));
                ls.stdout().lines().filter(l -> l.startsWith("vmlinuz-") || l.startsWith("vmlinux-"))
                        .map(l -> l.substring("vmlinuz-".length())).distinct().forEach(releases::add);
            }
        }
        releases.sort(DebianVersion.ORDER);
        return releases;
    }

    private static int index(List<Candidate> list, String kernel, String option) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).kernel().equals(kernel) || list.get(i).label().equals(kernel)
                    || kernel.equals(list.get(i).version())) {
                return i;
            }
        }
        throw new UserError(option + " " + kernel + " is not among the candidates: " + String.join(", ",
                list.stream().map(Candidate::label).toList()), ExitCodes.BAD_INPUT);
    }
}
