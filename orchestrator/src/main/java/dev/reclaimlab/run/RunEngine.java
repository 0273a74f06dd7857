package dev.reclaimlab.run;

import dev.reclaimlab.analysis.TraceAnalyzer;
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
import dev.reclaimlab.vm.LabHome;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.report.CompareReport;
import dev.reclaimlab.report.Grouping;
import dev.reclaimlab.step.HostProgram;
import dev.reclaimlab.step.Requirements;
import dev.reclaimlab.step.StepCompiler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code lab run}: one plan on one or more hosts (in parallel, one thread each), into a fresh run directory.
 * Owns the Ctrl-C handling: on interrupt every host is torn down before the JVM exits.
 */
public final class RunEngine {
    public static final String PLAN_COPY = "plan.yaml";
    public static final String PLAN_RESOLVED = "plan.resolved.json";

    private final Path runsDir;
    private final TransportFactory transports;
    private final TraceAnalyzer analyzer;
    private final Progress progress;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final List<HostSession> sessions = new CopyOnWriteArrayList<>();

    public RunEngine(Path runsDir, TransportFactory transports, TraceAnalyzer analyzer, Progress progress) {
        this.runsDir = runsDir;
        this.transports = transports;
        this.analyzer = analyzer;
        this.progress = progress;
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
        RunDirectory runDir = new RunDirectory(runsDir.resolve(runId + "-" + planFile.name()));
        runDir.write(PLAN_COPY, Files.readAllBytes(planFile.source()));
        runDir.writeJson(PLAN_RESOLVED, planFile);
        ManifestWriter manifest = new ManifestWriter(runDir, runId, planFile.name());
        StepLog stepLog = new StepLog(runDir.root());
        Thread interruptHook = new Thread(() -> interrupted(manifest, stepLog), "lab-interrupt");
        Runtime.getRuntime().addShutdownHook(interruptHook);

        List<String> hostStatuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, hosts.size()));
        try {
            List<Future<String>> results = new ArrayList<>();
            for (HostSpec host : hosts) {
                results.add(pool.submit(() -> runHost(host, planFile, runId, runDir, manifest, stepLog)));
            }
            for (Future<String> result : results) {
                try {
                    hostStatuses.add(result.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    hostStatuses.add("failed");
                    progress.info("lab", "internal error: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    hostStatuses.add("interrupted");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (cancelled.get()) {
            // The interrupt hook owns the ending; let it finish before the JVM exits.
            return new RunResult(runDir.root(), "interrupted", runDir.resolve(ManifestWriter.FILE), null);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(interruptHook);
        } catch (IllegalStateException shuttingDown) {
            return new RunResult(runDir.root(), "interrupted", runDir.resolve(ManifestWriter.FILE), null);
        }
        String status = overall(hostStatuses);
        stepLog.close();
        Path report = null;
        manifest.finish(status, null);
        try {
            // The run's own report is the one lab report writes: every variant side by side, with the verdict.
            report = CompareReport.write(List.of(runDir.root()), Grouping.VARIANT, runDir.root()).report();
            manifest.finish(status, runDir.root().relativize(report).toString());
        } catch (IOException e) {
            progress.info("lab", e.getMessage());
        }
        return new RunResult(runDir.root(), status, runDir.resolve(ManifestWriter.FILE), report);
    }

    /** Runs the plan on one host; returns its status word. Never throws for host trouble: it is reported. */
    private String runHost(HostSpec spec, PlanFile planFile, String runId, RunDirectory runDir,
                           ManifestWriter manifest, StepLog stepLog) {
        String factsPath = "hosts/" + spec.name() + "/facts.json";
        List<String> problems = new ArrayList<>();
        String status;
        String teardown = "not-needed";
        String kernel = null;
        try (Transport transport = transports.open(spec)) {
            Set<String> systems = planFile.traceSystems();
            HostFacts facts = FactsProbe.gather(transport, systems);
            kernel = facts.kernelRelease();
            runDir.writeJson(factsPath, facts);
            progress.info(spec.name(), describe(facts));
            problems.addAll(Requirements.unmet(planFile, spec, facts));
            if (!problems.isEmpty()) {
                manifest.host(new Manifest.HostEntry(spec.name(), factsPath, kernel, "unmet", problems, teardown,
                        attachConsole(spec, runDir)));
                return "unmet";
            }
            HostModules modules;
            try {
                modules = modules(planFile, spec, facts, transport, runDir);
            } catch (KmodException e) {
                problems.add(e.getMessage());
                manifest.host(new Manifest.HostEntry(spec.name(), factsPath, kernel, "failed", problems, teardown,
                        attachConsole(spec, runDir)));
                problems.forEach(p -> progress.info(spec.name(), p));
                return "failed";
            }
            HostProgram program = new StepCompiler(runId).compile(planFile, spec, facts,
                    dev.reclaimlab.host.HostScripts.library(), modules);
            HostSession session = new HostSession(transport, program.layout(), stepLog, progress);
            sessions.add(session);
            HostRunner runner = new HostRunner(session, program, runDir, analyzer, cancelled, iteration -> {
                manifest.iteration(iteration);
                if (iteration.error() != null) {
                    progress.info(spec.name(), iteration.variantLabel() + " r" + iteration.repeat() + " "
                            + iteration.status() + ": " + iteration.error());
                }
            });
            try {
                runner.prepare();
                if (facts.tracefs().isEmpty() && !systems.isEmpty()) {
                    // lab mounted tracefs itself: only now can the events be checked.
                    facts = FactsProbe.gather(transport, systems);
                    runDir.writeJson(factsPath, facts);
                    problems.addAll(Requirements.unmet(planFile, spec, facts));
                }
                status = !problems.isEmpty() ? "unmet" : runner.runIterations() ? "ok" : "failed";
            } catch (StepFailedException e) {
                problems.add(e.getMessage());
                status = "failed";
            } catch (IOException e) {
                problems.add(e.getMessage());
                status = "failed";
            } finally {
                teardown = tearDown(session, problems);
            }
        } catch (IOException e) {
            problems.add(e.getMessage());
            status = "failed";
        }
        if (cancelled.get()) {
            status = "interrupted";
        } else if (teardown.equals("incomplete")) {
            status = "residue";
        }
        manifest.host(new Manifest.HostEntry(spec.name(), factsPath, kernel, status, problems, teardown,
                attachConsole(spec, runDir)));
        problems.forEach(p -> progress.info(spec.name(), p));
        return status;
    }

    /**
     * The plan's kernel modules for this host (rendered, built, patch points read: all before the host changes),
     * with their sources and what the patch points held kept in the run directory.
     */
    private HostModules modules(PlanFile planFile, HostSpec spec, HostFacts facts, Transport transport,
                                RunDirectory runDir) throws IOException, KmodException {
        HostModules modules = new ModulePreparation(new ModuleTemplates(), LabHome.fromEnvironment())
                .prepare(planFile, spec, facts, transport, message -> progress.info(spec.name(), message));
        for (PreparedModule module : modules.all()) {
            String dir = ModulePreparation.sourceDir(spec.name(), module.source());
            for (var file : module.source().files().entrySet()) {
                runDir.write(dir + "/" + file.getKey(), file.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
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
            runDir.writeJson("hosts/" + spec.name() + "/kmod/patch-points.json", readings);
        }
        return modules;
    }

    /**
     * A VM host's serial console log (kernel messages: OOM kills, warnings, a panic that cut the run short), copied
     * into the run directory as {@code hosts/<host>/console.log}; returns that path, or null for other hosts.
     */
    private String attachConsole(HostSpec spec, RunDirectory runDir) {
        Path console = spec.vm().flatMap(dev.reclaimlab.host.VmSettings::console).orElse(null);
        if (console == null || !Files.isRegularFile(console)) {
            return null;
        }
        String relative = "hosts/" + spec.name() + "/console.log";
        try {
            runDir.write(relative, Files.readAllBytes(console));
            return relative;
        } catch (IOException e) {
            progress.info(spec.name(), "cannot copy the console log " + console + ": " + e.getMessage());
            return null;
        }
    }

    /** Undoes everything on the host; a lost connection leaves the journal there for {@code lab cleanup}. */
    private String tearDown(HostSession session, List<String> problems) {
        if (cancelled.get()) {
            return "interrupted"; // the interrupt hook tears down
        }
        try {
            List<String> left = session.teardownAll();
            problems.addAll(left);
            return left.isEmpty() ? "complete" : "incomplete";
        } catch (IOException e) {
            problems.add("teardown failed (" + e.getMessage() + "); run `lab cleanup --host " + session.host() + "`");
            return "incomplete";
        }
    }

    /** Ctrl-C: stop starting steps, undo everything on every host, mark the run interrupted. */
    private void interrupted(ManifestWriter manifest, StepLog stepLog) {
        cancelled.set(true);
        progress.info("lab", "interrupted: tearing down on every host");
        for (HostSession session : sessions) {
            try {
                List<String> left = session.teardownAll();
                progress.info(session.host(), left.isEmpty() ? "teardown complete"
                        : "teardown incomplete, run `lab cleanup --host " + session.host() + "`: " + left);
            } catch (IOException | RuntimeException e) {
                progress.info(session.host(), "teardown failed (" + e.getMessage() + "); run `lab cleanup --host "
                        + session.host() + "`");
            }
        }
        manifest.finish("interrupted", null);
        try {
            stepLog.close();
        } catch (IOException ignored) {
            // the log stays as steps.jsonl.partial, which says what it is
        }
    }

    private static String overall(List<String> hostStatuses) {
        if (hostStatuses.contains("interrupted")) {
            return "interrupted";
        }
        if (hostStatuses.contains("residue")) {
            return "residue";
        }
        if (hostStatuses.contains("failed")) {
            return "failed";
        }
        if (hostStatuses.contains("unmet")) {
            return "unmet";
        }
        return "ok";
    }

    static String describe(HostFacts facts) {
        return facts.kernelRelease() + " " + facts.machine() + ", cgroup " + facts.cgroupMode().name().toLowerCase()
                + (facts.memoryCgroupVersion() > 0 ? " (memory v" + facts.memoryCgroupVersion() + ")" : " (no memory cgroup)")
                + ", " + facts.cpus() + " CPUs, " + facts.memTotalBytes() / (1024 * 1024) + " MiB"
                + (facts.nokmem() ? ", cgroup.memory=nokmem" : "") + ", " + facts.memcgCount() + " memcgs";
    }
}
