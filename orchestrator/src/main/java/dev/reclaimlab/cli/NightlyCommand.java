package dev.reclaimlab.cli;

import dev.reclaimlab.analysis.ReclaimAnalyzer;
import dev.reclaimlab.artifacts.RunStatus;
import dev.reclaimlab.bisect.Criterion;
import dev.reclaimlab.history.IndexedRun;
import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.kmod.ModuleTemplates;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.nightly.Judgement;
import dev.reclaimlab.nightly.NightlyJob;
import dev.reclaimlab.nightly.NightlyOutput;
import dev.reclaimlab.nightly.Webhook;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.plan.VerdictSpec;
import dev.reclaimlab.report.CompareReport;
import dev.reclaimlab.report.Grouping;
import dev.reclaimlab.run.RunEngine;
import dev.reclaimlab.run.RunResult;
import dev.reclaimlab.vm.DebianKernelPackages;
import dev.reclaimlab.vm.VmException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "nightly", mixinStandardHelpOptions = true,
        description = {"Run a plan on a kernel (the newest, or one named) and judge it against the baseline of earlier "
                + "accepted nights: a regression is re-run before anyone is told, told once when confirmed and once "
                + "when fixed, and fails the job until it is fixed."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no regression open (good, unknown, or the first night: the baseline)",
                "1:infrastructure trouble: nothing could be judged (see the run)",
                "2:bad plan, inventory or command line",
                "8:a regression is open: confirmed tonight or still there",
                "9:another job holds the host's lease"})
final class NightlyCommand implements Callable<Integer> {
    static final int REGRESSED = 8;
    static final int BUSY = 9;

    @Parameters(paramLabel = "PLAN", description = "The plan (YAML); its verdict.regression limits are what is judged.")
    Path planFile;

    @Mixin
    HostOptions hostOptions;

    @Mixin
    DbOptions db;

    @Option(names = "--kernel", paramLabel = "newest|newest:GLOB|K", description = "The night's kernel: the newest "
            + "Debian build for the host's architecture (lab vm hosts; GLOB narrows it, e.g. newest:6.1.0-*), the newest "
            + "installed (other hosts), or one named as in boot.kernel. Default: whatever the host runs.")
    String kernel;

    @Option(names = "--repeats", paramLabel = "N", description = "Repeats of each variant (default: the plan's).")
    Integer repeats;

    @Option(names = "--runs", paramLabel = "DIR", description = "Where run directories go (default: ${DEFAULT-VALUE}).")
    Path runsDir = Path.of("runs");

    @Option(names = "--baseline-samples", paramLabel = "N", description = "A baseline is judged from once it pools "
            + "this many finished repeats (default: ${DEFAULT-VALUE})…")
    int baselineSamples = 9;

    @Option(names = "--baseline-runs", paramLabel = "N", description = "…or this many accepted runs (default: "
            + "${DEFAULT-VALUE}).")
    int baselineRuns = 3;

    @Option(names = "--notify", paramLabel = "URL", description = "A webhook told of each confirmed and each fixed "
            + "regression (JSON POST; Slack/Mattermost read its text field). Signed with HMAC-SHA256 when "
            + "$LAB_NOTIFY_SECRET or --notify-secret-file gives a secret.")
    URI notify;

    @Option(names = "--notify-secret-file", paramLabel = "FILE", description = "The webhook's HMAC secret (first line).")
    Path secretFile;

    @Option(names = "--report-url", paramLabel = "BASE", description = "Where the run directories are published "
            + "(e.g. https://ci.example/lab/runs): notifications link BASE/RUN-DIR/nightly/report.html.")
    String reportUrl;

    @Option(names = "--bisect-budget", paramLabel = "DURATION", description = "On a newly confirmed regression, bisect "
            + "the Debian builds (lab vm hosts) or installed kernels between the last good night's kernel and this one, "
            + "starting no batch after this long (e.g. 2h); the answer goes into the notification and the database.")
    String bisectBudget;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the night's JUnit XML here.")
    Path junit;

    @Override
    public Integer call() throws Exception {
        if (baselineSamples < 2 || baselineRuns < 1 || (repeats != null && repeats < 2)) {
            throw new UserError("--baseline-samples must be at least 2, --baseline-runs at least 1, --repeats at least 2"
                    + " (one repeat cannot be judged)", ExitCodes.BAD_INPUT);
        }
        PlanFile plan = PlanLoader.load(planFile);
        VerdictSpec verdict = plan.resolved().get(0).verdict();
        List<Criterion> criteria = verdict.regression().stream().map(Criterion::of).toList();
        if (criteria.isEmpty()) {
            throw new UserError(planFile + ": a nightly job judges the plan's verdict.regression limits, and it has none"
                    + " (e.g. verdict: {regression: [{metric: memcg_reclaim.latency_us.p99, increase: 20%}]})",
                    ExitCodes.BAD_INPUT);
        }
        Inventory inventory = hostOptions.loadInventory();
        HostSpec host = BisectCommand.oneHost(hostOptions, inventory, plan);
        Transports transports = new Transports(inventory, hostOptions.acceptNewHostKeys);
        Webhook webhook = notify == null ? null : new Webhook(notify, secret(), 5, Duration.ofSeconds(2));
        String release = kernel == null ? null : kernel(host, transports);
        PlanFile night = release == null ? plan
                : plan.bootingInto(release, new dev.reclaimlab.yaml.Location(plan.source(), 1, 1));
        if (repeats != null) {
            night = new PlanFile(night.source(), night.name(), night.variants(), repeats, night.resolved());
        }
        TerminalProgress progress = new TerminalProgress(System.err);
        ModulePreparation modules = new ModulePreparation(new ModuleTemplates(), LabHome.fromEnvironment());
        HostBootMethods bootMethods = new HostBootMethods(transports);
        PlanFile tonight = night;
        NightlyJob.NightRunner runner = purpose -> {
            progress.info("nightly", purpose + (release == null ? "" : " on " + release) + " on " + host.name());
            RunResult result = new RunEngine(runsDir, transports, new ReclaimAnalyzer(), modules, progress, bootMethods)
                    .run(tonight, List.of(host));
            if (result.status() == RunStatus.INTERRUPTED) {
                throw new InterruptedException("interrupted");
            }
            try {
                CompareReport.writeForRun(result.dir());
            } catch (IOException e) {
                progress.info("nightly", "cannot write the run's report: " + e.getMessage());
            }
            return result.dir().root();
        };
        String holder = "lab nightly " + plan.name() + " (pid " + ProcessHandle.current().pid() + " on "
                + java.net.InetAddress.getLocalHost().getHostName() + ")";
        NightlyJob.Result result;
        try (ResultsDatabase results = db.open()) {
            System.err.println("lab nightly: " + plan.name() + " on " + host.name() + (release == null ? "" : ", kernel "
                    + release) + "; results in " + results.url());
            result = new NightlyJob(results, criteria, verdict, new NightlyJob.Settings(host.name(), baselineSamples,
                    baselineRuns, holder), runner, webhook, this::compareWithBaseline,
                    line -> progress.info("nightly", line), Clock.systemUTC(),
                    bisectBudget == null ? null : r -> bisect(r, plan, host, tonight.repeat())).run();
        } catch (InterruptedException e) {
            System.err.println("lab nightly: interrupted");
            return ExitCodes.INTERRUPTED;
        }
        Path out = result.run() != null ? Path.of(result.run().dir()).resolve("nightly") : runsDir.resolve("nightly-error");
        NightlyOutput.write(out, plan.name(), host.name(), result);
        if (junit != null) {
            Files.copy(out.resolve(NightlyOutput.JUNIT), junit, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        print(result, out);
        return switch (result.status()) {
            case "busy" -> BUSY;
            case "error" -> ExitCodes.FAILED;
            case "regressed" -> REGRESSED;
            default -> ExitCodes.OK;
        };
    }

    /** The night beside the runs its baseline pooled, as one comparison report in the night's run directory. */
    private String compareWithBaseline(IndexedRun night, List<IndexedRun> baseline) throws IOException {
        Path nightDir = Path.of(night.dir());
        List<Path> dirs = new ArrayList<>();
        baseline.stream().map(r -> Path.of(r.dir())).filter(Files::isDirectory).forEach(dirs::add);
        java.util.Collections.reverse(dirs); // oldest first, the night last
        dirs.add(nightDir);
        Path out = nightDir.resolve("nightly");
        Path report = Files.isRegularFile(out.resolve("report.html")) ? out.resolve("report.html")
                : CompareReport.write(dirs, Grouping.RUN, out).report();
        if (reportUrl != null) {
            return reportUrl.replaceAll("/+$", "") + "/" + nightDir.getFileName() + "/nightly/report.html";
        }
        return report.toAbsolutePath().toString();
    }

    /** Release {@code 6.1.0-57-arm64} → Debian ABI {@code 6.1.0-57}, what lab bisect's candidates are named by. */
    static String abi(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9]+\\.[0-9]+\\.[0-9]+-[0-9]+)(-.*)?$")
                .matcher(release);
        return m.matches() ? m.group(1) : release;
    }

    /** lab bisect between the regression's last good kernel and its first bad one, within --bisect-budget. */
    private String bisect(dev.reclaimlab.history.Regression r, PlanFile plan, HostSpec host, int repeat) throws IOException {
        if (r.lastGoodKernel() == null || r.firstKernel() == null) {
            return "not bisected: no last good kernel on record";
        }
        String good = abi(r.lastGoodKernel());
        String bad = abi(r.firstKernel());
        if (good.equals(bad)) {
            return "not bisected: the last good night and the first bad one ran the same kernel (" + r.firstKernel()
                    + "): what changed is outside the kernel (its command line, the host, the workload's environment)";
        }
        if (plan.variants().size() != 1) {
            return "not bisected: the plan has " + plan.variants().size() + " variants and a bisect measures one "
                    + "(lab bisect a one-variant copy of it with --good " + good + " --bad " + bad + ")";
        }
        Path dir = runsDir.resolve("bisect-" + r.firstRun());
        List<String> args = new ArrayList<>(List.of("bisect", planFile.toString(), "--host", host.name(), "--candidates",
                host.kind() instanceof HostKind.Vm ? "apt:*" : "installed", "--good", good, "--bad", bad, "--repeats",
                Integer.toString(Math.max(4, repeat)), "--out", dir.toString(), "--budget", bisectBudget));
        if (hostOptions.inventory != null) {
            args.addAll(List.of("--inventory", hostOptions.inventory.toString()));
        }
        if (db.url != null) {
            args.addAll(List.of("--db", db.url));
        }
        if (hostOptions.acceptNewHostKeys) {
            args.add("--accept-new-host-keys");
        }
        int exit = LabCommand.execute(args.toArray(String[]::new));
        Path summary = dir.resolve("summary.json");
        if (!Files.isRegularFile(summary)) {
            return "the bisect " + good + " … " + bad + " ended with exit " + exit + " and no answer (see " + dir + ")";
        }
        com.fasterxml.jackson.databind.JsonNode s = dev.reclaimlab.local.Json.mapper().readTree(summary.toFile());
        return s.path("outcome").asText("?") + ": " + s.path("answer").asText("") + " (lab bisect " + good + " … " + bad
                + ", exit " + exit + "; report " + dir.resolve("report.html") + ")";
    }

    private byte[] secret() throws IOException {
        if (secretFile != null) {
            String first = Files.readAllLines(secretFile, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new UserError(secretFile + ": empty; the webhook secret is its first line", ExitCodes.BAD_INPUT);
            }
            return first.getBytes(StandardCharsets.UTF_8);
        }
        String env = System.getenv("LAB_NOTIFY_SECRET");
        return env == null || env.isBlank() ? null : env.getBytes(StandardCharsets.UTF_8);
    }

    private String kernel(HostSpec host, Transports transports) throws Exception {
        if (!kernel.equals("newest") && !kernel.startsWith("newest:")) {
            return kernel;
        }
        String glob = kernel.startsWith("newest:") ? kernel.substring("newest:".length()) : "*";
        List<String> releases;
        if (host.kind() instanceof HostKind.Vm) {
            try {
                releases = DebianKernelPackages.matching(glob, "aarch64").stream().map(DebianKernelPackages.Build::abi)
                        .toList();
            } catch (VmException e) {
                throw new UserError("--kernel " + kernel + ": " + e.getMessage(), ExitCodes.BAD_INPUT);
            }
        } else {
            java.util.regex.Pattern pattern = DebianKernelPackages.globPattern(glob);
            releases = BisectCommand.installed(host, transports).stream().filter(r -> pattern.matcher(r).matches())
                    .toList();
        }
        if (releases.isEmpty()) {
            throw new UserError("--kernel " + kernel + ": no kernel matches on " + host.name(), ExitCodes.BAD_INPUT);
        }
        return releases.get(releases.size() - 1);
    }

    private static void print(NightlyJob.Result r, Path out) {
        if (r.error() != null) {
            System.out.println("error:    " + r.error());
        }
        for (Judgement j : r.judgements()) {
            System.out.printf("%-9s %s [%s]: %s%n", j.outcome().word() + ":", j.metric(), j.key().variant(), j.why());
        }
        r.changes().forEach(g -> System.out.println("tracked:  " + g.metric() + " [" + g.variant() + "] " + g.state()
                + " (first seen " + g.firstRun() + " on " + g.firstKernel() + ")"));
        r.sent().forEach(s -> System.out.println("told:     " + s.event() + " → " + s.target()
                + (s.delivered() ? "" : " NOT DELIVERED: " + s.error())));
        if (r.run() != null) {
            System.out.println("run:      " + r.run().dir());
        }
        if (r.rerun() != null) {
            System.out.println("re-run:   " + r.rerun().dir());
        }
        System.out.println("baseline: " + (r.accepted() ? "this night joined it" : "unchanged") + " (pooled from "
                + r.baselineRuns().size() + " run" + (r.baselineRuns().size() == 1 ? "" : "s") + ")");
        System.out.println("junit:    " + out.resolve(NightlyOutput.JUNIT));
        System.out.println("status:   " + r.status());
    }
}
