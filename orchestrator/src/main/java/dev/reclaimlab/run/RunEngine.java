package dev.reclaimlab.run;

import dev.reclaimlab.analysis.TraceAnalyzer;
import dev.reclaimlab.artifacts.IterationStatus;
import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.ManifestWriter;
import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.artifacts.RunStatus;
import dev.reclaimlab.artifacts.StepLog;
import dev.reclaimlab.artifacts.TeardownStatus;
import dev.reclaimlab.boot.BootConsole;
import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.boot.FollowedConsole;
import dev.reclaimlab.host.FactsProbe;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.TransportFactory;
import dev.reclaimlab.kmod.HostModules;
import dev.reclaimlab.kmod.KmodException;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.kmod.ModuleTemplates;
import dev.reclaimlab.kmod.PatchReading;
import dev.reclaimlab.kmod.PreparedModule;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.profile.SamplerBuild;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.Variant;
import dev.reclaimlab.program.HostPreparation;
import dev.reclaimlab.program.HostProgram;
import dev.reclaimlab.program.Requirements;
import dev.reclaimlab.step.Owner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code lab run}: one plan on one or more hosts (in parallel, one thread each), into a fresh run directory, indexed by
 * its manifest. Owns the Ctrl-C handling: on interrupt every host is torn down before the JVM exits. Reports are the
 * caller's business: the engine leaves a run directory that any reader can open.
 */
public final class RunEngine {
    private final Path runsDir;
    private final TransportFactory transports;
    private final TraceAnalyzer analyzer;
    private final ModulePreparation modules;
    private final SamplerBuild samplers = new SamplerBuild(LabHome.fromEnvironment());
    private final Progress progress;
    private final BootMethods bootMethods;
    private final Owner owner = Owner.thisProcess();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<HostSession> sessions = new CopyOnWriteArrayList<>();
    private final List<HostBoot> hostBoots = new CopyOnWriteArrayList<>();
    /** How long Ctrl-C waits for a boot under way to end before it boots the host's default (a VM's takes seconds). */
    private static final java.time.Duration BOOT_UNDER_WAY_WAIT = java.time.Duration.ofMinutes(3);
    /** Boot hosts back to their default kernel at the end of the run (Ctrl-C always does). */
    private boolean bootDefaultAtEnd = true;

    public RunEngine(Path runsDir, TransportFactory transports, TraceAnalyzer analyzer, Progress progress) {
        this(runsDir, transports, analyzer, new ModulePreparation(new ModuleTemplates(), LabHome.fromEnvironment()),
                progress, BootMethods.NONE);
    }

    public RunEngine(Path runsDir, TransportFactory transports, TraceAnalyzer analyzer, ModulePreparation modules,
                     Progress progress, BootMethods bootMethods) {
        this.runsDir = runsDir;
        this.transports = transports;
        this.analyzer = analyzer;
        this.modules = modules;
        this.progress = progress;
        this.bootMethods = bootMethods;
    }

    /**
     * Leaves a host that ran a plan's kernel on it at the end of the run, for a caller that boots it into another
     * right away and boots its default itself when it is done ({@code lab bisect}, one run per candidate): a boot of
     * the default in between would cost a reboot per candidate and tell nothing. Ctrl-C still boots the default.
     */
    public RunEngine leavingTheLastKernelBooted() {
        bootDefaultAtEnd = false;
        return this;
    }

    /** A run id: sortable by time, unique enough for two runs started in the same second. */
    public static String newRunId() {
        byte[] random = new byte[2];
        new SecureRandom().nextBytes(random);
        return LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-"
                + HexFormat.of().formatHex(random);
    }

    public RunResult run(PlanFile planFile, List<HostSpec> hosts) throws IOException {
        String runId = newRunId();
        RunDirectory runDir = RunDirectory.create(runsDir.resolve(RunLayout.runDirName(runId, planFile.name())));
        runDir.write(RunLayout.PLAN_COPY, Files.readAllBytes(planFile.source()));
        runDir.writeJson(RunLayout.PLAN_RESOLVED, planFile);
        ManifestWriter manifest = new ManifestWriter(runDir, runId, planFile.name());
        StepLog stepLog = new StepLog(runDir.root());
        Thread interruptHook = new Thread(() -> interrupted(manifest, stepLog), "lab-interrupt");
        Runtime.getRuntime().addShutdownHook(interruptHook);

        List<RunStatus> hostStatuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, hosts.size()));
        try {
            List<Future<RunStatus>> results = new ArrayList<>();
            for (HostSpec host : hosts) {
                results.add(pool.submit(() -> new HostRun(host, planFile, runId, runDir, manifest, stepLog).run()));
            }
            for (Future<RunStatus> result : results) {
                try {
                    hostStatuses.add(result.get());
                } catch (ExecutionException e) {
                    hostStatuses.add(RunStatus.FAILED);
                    progress.info("lab", "internal error: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    hostStatuses.add(RunStatus.INTERRUPTED);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (cancelled.get()) {
            // The interrupt hook owns the ending; let it finish before the JVM exits.
            return new RunResult(runDir, RunStatus.INTERRUPTED);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(interruptHook);
        } catch (IllegalStateException shuttingDown) {
            return new RunResult(runDir, RunStatus.INTERRUPTED);
        }
        RunStatus status = RunStatus.overall(hostStatuses);
        stepLog.close();
        manifest.finish(status);
        return new RunResult(runDir, status);
    }

    /** One host of the run: prepared, run, torn down, and its entry in the manifest. */
    private final class HostRun {
        private final HostSpec spec;
        private final PlanFile planFile;
        private final String runId;
        private final RunDirectory runDir;
        private final ManifestWriter manifest;
        private final StepLog stepLog;
        private final List<String> problems = new ArrayList<>();
        private TeardownStatus teardown = TeardownStatus.NOT_NEEDED;
        private String kernel;
        private HostBoot hostBoot;
        /** The host's boot method, asked for once (it keeps state: a console it follows); null until then. */
        private Optional<BootMethod> bootMethod;

        HostRun(HostSpec spec, PlanFile planFile, String runId, RunDirectory runDir, ManifestWriter manifest,
                StepLog stepLog) {
            this.spec = spec;
            this.planFile = planFile;
            this.runId = runId;
            this.runDir = runDir;
            this.manifest = manifest;
            this.stepLog = stepLog;
        }

        /** Runs the plan on the host; returns its status. Never throws for host trouble: it is reported. */
        RunStatus run() {
            RunStatus status;
            try {
                status = planFile.boots() ? runBootGroups() : runGroup(planFile, Optional.empty(), null);
            } catch (IOException e) {
                problems.add(e.getMessage());
                status = RunStatus.FAILED;
            }
            if (cancelled.get()) {
                status = RunStatus.INTERRUPTED;
            } else if (teardown == TeardownStatus.INCOMPLETE) {
                status = RunStatus.RESIDUE;
            }
            return finish(status);
        }

        /**
         * A plan with a boot section: the host is booted once per distinct kernel and command line, runs all of its
         * iterations there (facts, requirements and modules read again after every boot), and is booted back to its
         * default at the end, also when a step failed. A target that cannot be booted is untestable: its iterations
         * say so, and the other targets still run.
         */
        private RunStatus runBootGroups() throws IOException {
            Optional<BootMethod> method = bootMethod();
            if (method.isEmpty()) {
                problems.add(bootMethods.whyNot(spec));
                return RunStatus.UNMET;
            }
            hostBoot = new HostBoot(spec, transports, method.get(), Optional.of(runDir), progress);
            hostBoots.add(hostBoot);
            List<RunStatus> statuses = new ArrayList<>();
            try {
                for (PlanFile.BootGroup group : planFile.bootGroups()) {
                    if (cancelled.get()) {
                        break;
                    }
                    if (group.target().isHostDefault()) {
                        hostBoot.restoreDefault();
                        statuses.add(runGroup(group.plan(), Optional.empty(), null));
                        continue;
                    }
                    HostBoot.Outcome outcome = hostBoot.boot(group.target());
                    if (outcome instanceof HostBoot.Outcome.Booted booted) {
                        statuses.add(runGroup(group.plan(), Optional.of(group.target()), booted.asSeen()));
                    } else {
                        String reason = ((HostBoot.Outcome.Untestable) outcome).reason();
                        problems.add(group.target().label() + " is untestable on " + spec.name() + ": " + reason);
                        untestable(group.plan(), reason, 0);
                        statuses.add(RunStatus.FAILED);
                    }
                }
            } finally {
                if (!cancelled.get() && bootDefaultAtEnd) {
                    hostBoot.restoreDefault();
                }
            }
            return RunStatus.overall(statuses);
        }

        /**
         * The iterations after the first {@code skip} of a target that could not be booted, recorded as untestable:
         * nothing was measured.
         */
        private void untestable(PlanFile group, String reason, int skip) {
            int index = 0;
            for (Variant variant : group.variants()) {
                for (int repeat = 1; repeat <= group.repeat(); repeat++) {
                    if (index++ < skip) {
                        continue;
                    }
                    manifest.iteration(new Manifest.IterationEntry(spec.name(), variant.values(), variant.label(),
                            repeat, RunLayout.iteration(spec.name(), variant.slug(), repeat),
                            IterationStatus.UNTESTABLE, reason, Instant.now().toString(), 0,
                            Manifest.Artifacts.none(), List.of(), null, null));
                }
            }
        }

        /**
         * A group's iterations on what the host runs now. A kernel that goes down under one of them (a panic, a hang)
         * has produced that iteration's result: the host is brought back and what the pass changed is undone, the
         * group's target is booted again, and the iterations after it go on.
         */
        private RunStatus runGroup(PlanFile plan, Optional<BootTarget> target, Manifest.BootSeen boot)
                throws IOException {
            List<RunStatus> statuses = new ArrayList<>();
            int total = plan.variants().size() * plan.repeat();
            int done = 0;
            Manifest.BootSeen seen = boot;
            while (true) {
                Pass pass = runOnce(plan, seen, done);
                statuses.add(pass.status());
                done = pass.done();
                if (!pass.recovered() || cancelled.get() || done >= total) {
                    return RunStatus.overall(statuses);
                }
                if (target.isPresent()) {
                    HostBoot.Outcome outcome = hostBoot.boot(target.get());
                    if (!(outcome instanceof HostBoot.Outcome.Booted booted)) {
                        String reason = ((HostBoot.Outcome.Untestable) outcome).reason();
                        problems.add(target.get().label() + " is untestable on " + spec.name() + " after it went "
                                + "down: " + reason);
                        untestable(plan, reason, done);
                        return RunStatus.FAILED;
                    }
                    seen = booted.asSeen();
                }
            }
        }

        /**
         * How one pass over the host ended.
         *
         * @param done      how many of the group's iterations have run
         * @param recovered the host's kernel went down during the last, and the host is back on its default with the
         *                  pass undone: the rest of the group can go on
         */
        private record Pass(RunStatus status, int done, boolean recovered) {}

        /** One pass over the host with what it runs now: facts, preparation, the iterations after {@code skip}. */
        private Pass runOnce(PlanFile plan, Manifest.BootSeen boot, int skip) throws IOException {
            if (cancelled.get()) {
                // Ctrl-C came during the boot before this pass: nothing may start on the host now
                return new Pass(RunStatus.INTERRUPTED, skip, false);
            }
            try (Transport transport = transports.open(spec)) {
                return run(transport, plan, boot, skip);
            }
        }

        private Pass run(Transport transport, PlanFile planFile, Manifest.BootSeen boot, int skip) throws IOException {
            Set<String> systems = planFile.traceSystems();
            HostFacts facts = FactsProbe.gather(transport, systems);
            if (kernel == null) {
                kernel = facts.kernelRelease();
            }
            runDir.writeJson(RunLayout.facts(spec.name()), facts);
            if (boot != null) {
                runDir.writeJson(RunLayout.bootFacts(spec.name(), hostBoot.boots().size()), facts);
            }
            progress.info(spec.name(), describe(facts));
            HostPreparation.Result prepared;
            try {
                prepared = new HostPreparation(runId, owner, modules, samplers).prepare(planFile, spec, facts,
                        Optional.of(transport), HostPreparation.Purpose.RUN,
                        message -> progress.info(spec.name(), message));
            } catch (KmodException e) {
                problems.add(e.getMessage());
                return new Pass(RunStatus.FAILED, skip, false);
            }
            if (prepared instanceof HostPreparation.Result.Unmet unmet) {
                problems.addAll(unmet.problems());
                return new Pass(RunStatus.UNMET, skip, false);
            }
            HostPreparation.Result.Ready ready = (HostPreparation.Result.Ready) prepared;
            keepModules(ready.modules());
            HostProgram program = ready.program();
            HostSession session = newSession(transport, program);
            HostRunner runner = new HostRunner(session, program, runDir, analyzer, cancelled, boot, iteration -> {
                manifest.iteration(iteration);
                if (iteration.error() != null) {
                    progress.info(spec.name(), iteration.label() + " " + iteration.status() + ": " + iteration.error());
                }
            });
            boolean wentDown = false;
            Optional<FollowedConsole> console = Optional.empty();
            try {
                runner.prepare();
                if (facts.tracefs().isEmpty() && !systems.isEmpty()) {
                    // lab mounted tracefs itself: only now can the events be checked.
                    facts = FactsProbe.gather(transport, systems);
                    runDir.writeJson(RunLayout.facts(spec.name()), facts);
                    List<String> unmet = Requirements.unmet(planFile, spec, facts);
                    if (!unmet.isEmpty()) {
                        problems.addAll(unmet);
                        return new Pass(RunStatus.UNMET, skip, false);
                    }
                }
                console = followConsole();
                Optional<CrashCheck> crashCheck = crashCheck(facts, console.map(FollowedConsole::log));
                HostRunner.Pass pass = runner.runIterations(skip, crashCheck);
                wentDown = pass.crash().isPresent();
                if (wentDown) {
                    return new Pass(RunStatus.FAILED, pass.done(), recover(pass, crashCheck.orElseThrow().before(),
                            program));
                }
                return new Pass(pass.allOk() ? RunStatus.OK : RunStatus.FAILED, pass.done(), false);
            } catch (StepFailedException | IOException e) {
                problems.add(e.getMessage());
                return new Pass(RunStatus.FAILED, skip, false);
            } finally {
                console.ifPresent(FollowedConsole::close);
                if (!wentDown) { // the host went down: recover() tears down once it is back
                    teardown = teardown.and(tearDown(session, problems)); // a host booted twice is torn down twice
                }
                session.stopHeartbeat();
                if (!cancelled.get()) {
                    sessions.remove(session); // done: Ctrl-C in a later boot's pass must not undo it again
                }
            }
        }

        private HostSession newSession(Transport transport, HostProgram program) {
            HostSession session = new HostSession(transport, () -> transports.open(spec), program.layout().journal(),
                    program.watchdog(), stepLog, progress);
            sessions.add(session);
            return session;
        }

        /**
         * Hosts reached over SSH are judged when their connection dies (lab's own machine cannot go down alone), by
         * the boot id and panic time the pass found.
         */
        private Optional<CrashCheck> crashCheck(HostFacts facts, Optional<Path> console) {
            if (spec.kind().ssh().isEmpty() || facts.bootId().isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new CrashCheck(spec, transports, console.or(() -> spec.kind().consoleLog()),
                    CrashCheck.HANG_AFTER, CrashCheck.Before.of(facts)));
        }

        private Optional<BootMethod> bootMethod() {
            if (bootMethod == null) {
                bootMethod = bootMethods.of(spec);
            }
            return bootMethod;
        }

        /** The host's console through the pass's iterations, where its boot method can read one. */
        private Optional<FollowedConsole> followConsole() {
            if (spec.kind().ssh().isEmpty()) {
                return Optional.empty();
            }
            return bootMethod().flatMap(m -> m.followConsole(message -> progress.info(spec.name(), message)));
        }

        /**
         * Brings back a host whose kernel went down during an iteration (by itself, or through its boot method's
         * power control), then undoes the pass's journal, which is on the host's disk, on a new connection. Returns
         * false when the host is lost: its journal then waits for {@code lab cleanup}.
         */
        private boolean recover(HostRunner.Pass pass, CrashCheck.Before before, HostProgram program) {
            CrashCheck.Verdict verdict = pass.crash().orElseThrow();
            problems.add("its kernel went down: " + verdict.reason());
            if (hostBoot == null) {
                Optional<BootMethod> method = bootMethod();
                if (method.isEmpty() && !verdict.back()) {
                    problems.add(spec.name() + " stays down: lab has no power control for it (" + bootMethods.whyNot(spec)
                            + "); once it is back, `lab cleanup --host " + spec.name() + "` undoes the run there");
                    teardown = teardown.and(TeardownStatus.INCOMPLETE);
                    return false;
                }
                if (method.isPresent()) {
                    hostBoot = new HostBoot(spec, transports, method.get(), Optional.of(runDir), progress);
                    hostBoots.add(hostBoot);
                }
            }
            try {
                if (hostBoot != null) {
                    hostBoot.recover(before.bootId(), verdict.rebootsAfter(before));
                }
                try (Transport transport = transports.open(spec)) {
                    HostSession after = newSession(transport, program);
                    try {
                        teardown = teardown.and(tearDown(after, problems));
                    } finally {
                        sessions.remove(after);
                    }
                }
                return !cancelled.get();
            } catch (IOException e) {
                problems.add(e.getMessage() + "; once it is back, `lab cleanup --host " + spec.name()
                        + "` undoes the run there");
                teardown = teardown.and(TeardownStatus.INCOMPLETE);
                return false;
            }
        }

        private RunStatus finish(RunStatus status) {
            manifest.host(new Manifest.HostEntry(spec.name(), RunLayout.facts(spec.name()), kernel, status, problems,
                    teardown, attachConsole(), hostBoot == null ? null : hostBoot.boots()));
            problems.forEach(p -> progress.info(spec.name(), p));
            return status;
        }

        /** The modules' sources, what lab built, and what the patch points held: kept with the run. */
        private void keepModules(HostModules modules) throws IOException {
            for (PreparedModule module : modules.all()) {
                String dir = RunLayout.moduleSource(spec.name(), module.name());
                for (Map.Entry<String, String> file : module.source().files().entrySet()) {
                    runDir.write(dir + "/" + file.getKey(), file.getValue().getBytes(StandardCharsets.UTF_8));
                }
                if (module.builtKo().isPresent()) {
                    runDir.write(dir + "/" + module.source().koName(), Files.readAllBytes(module.builtKo().get()));
                }
            }
            if (!modules.readings().isEmpty()) {
                Map<String, Object> readings = new LinkedHashMap<>();
                modules.readings().forEach((point, r) -> readings.put(point, Map.of(
                        "where", r.place().where(), "address", "0x" + Long.toHexString(r.place().address()),
                        "original", PatchReading.words(r.original()), "matches_expected", r.matchesExpected())));
                runDir.writeJson(RunLayout.patchPoints(spec.name()), readings);
            }
        }

        /**
         * The host's serial console log, where it has one (kernel messages: OOM kills, warnings, a panic that cut the
         * run short), copied into the run directory; returns that path, or null.
         */
        private String attachConsole() {
            Path console = spec.kind().consoleLog().orElse(null);
            if (console == null || !Files.isRegularFile(console)) {
                return null;
            }
            String relative = RunLayout.console(spec.name());
            BootConsole last = new BootConsole(Optional.of(console), spec.name()); // its end, if a log grown for months
            last.slice(0, Long.MAX_VALUE);
            try {
                runDir.write(relative, Files.readAllBytes(last.lastBoot().orElse(console)));
                return relative;
            } catch (IOException e) {
                progress.info(spec.name(), "cannot copy the console log " + console + ": " + e.getMessage());
                return null;
            }
        }
    }

    /** Undoes everything on the host; a lost connection leaves the journal there for {@code lab cleanup}. */
    private TeardownStatus tearDown(HostSession session, List<String> problems) {
        if (cancelled.get()) {
            // The interrupt hook tears down. Waiting for it here (teardownAll runs once, under its lock) keeps this
            // pass from closing the connection the hook's teardown uses: Ctrl-C ends the running step at once, so the
            // pass gets here while the hook is still at work.
            try {
                session.teardownAll();
            } catch (IOException | RuntimeException e) {
                // the hook says what it could not undo
            }
            return TeardownStatus.INTERRUPTED;
        }
        try {
            List<String> left = session.teardownAll();
            problems.addAll(left);
            return left.isEmpty() ? TeardownStatus.COMPLETE : TeardownStatus.INCOMPLETE;
        } catch (IOException e) {
            problems.add("teardown failed (" + e.getMessage() + "); run `lab cleanup --host " + session.host() + "`");
            return TeardownStatus.INCOMPLETE;
        }
    }

    /**
     * Ctrl-C: stop starting steps, undo everything on every host, boot every host lab booted into another kernel back
     * to its own (unless a boot is under way there), mark the run interrupted.
     */
    private void interrupted(ManifestWriter manifest, StepLog stepLog) {
        cancelled.set(true);
        progress.info("lab", "interrupted: tearing down on every host");
        for (HostSession session : sessions) {
            try {
                List<String> left = session.teardownAll();
                session.stopHeartbeat();
                progress.info(session.host(), left.isEmpty() ? "teardown complete"
                        : "teardown incomplete, run `lab cleanup --host " + session.host() + "`: " + left);
            } catch (IOException | RuntimeException e) {
                progress.info(session.host(), "teardown failed (" + e.getMessage() + "); run `lab cleanup --host "
                        + session.host() + "`");
            }
        }
        for (HostBoot boot : hostBoots) {
            try {
                if (!boot.restoreDefaultAfterBoot(BOOT_UNDER_WAY_WAIT)) {
                    // the boot under way on the host's own thread did not end: racing it could leave either kernel
                    progress.info(boot.host(), "was still being booted: `lab cleanup --host " + boot.host()
                            + " --power-cycle` boots its own kernel again");
                }
            } catch (IOException | RuntimeException e) {
                progress.info(boot.host(), "cannot boot its own kernel again (" + e.getMessage() + "); `lab cleanup "
                        + "--host " + boot.host() + "` does once it answers");
            }
        }
        manifest.finish(RunStatus.INTERRUPTED);
        try {
            stepLog.close();
        } catch (IOException ignored) {
            // the log stays as steps.jsonl.partial, which says what it is
        }
    }

    static String describe(HostFacts facts) {
        return facts.kernelRelease() + " " + facts.machine() + ", cgroup " + facts.cgroupMode().name().toLowerCase()
                + (facts.memoryCgroupVersion() > 0 ? " (memory v" + facts.memoryCgroupVersion() + ")" : " (no memory cgroup)")
                + ", " + facts.cpus() + " CPUs, " + facts.memTotalBytes() / (1024 * 1024) + " MiB"
                + (facts.nokmem() ? ", cgroup.memory=nokmem" : "") + ", " + facts.memcgCount() + " memcgs";
    }
}
