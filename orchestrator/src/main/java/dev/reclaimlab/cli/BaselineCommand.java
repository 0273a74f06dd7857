package dev.reclaimlab.cli;

import dev.reclaimlab.history.BaselineKey;
import dev.reclaimlab.history.Baselines;
import dev.reclaimlab.history.IndexedRun;
import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.history.Runs;
import dev.reclaimlab.history.StoredIteration;
import dev.reclaimlab.local.Digests;
import dev.reclaimlab.plan.PlanLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "baseline", mixinStandardHelpOptions = true,
        subcommands = {BaselineCommand.Accept.class, BaselineCommand.Reject.class, BaselineCommand.Show.class},
        description = "What nights are judged against: accept a run into its plan's baseline, reject one, or show it.")
final class BaselineCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say accept RUN, reject RUN or show PLAN --host H");
    }

    static int decide(DbOptions db, String runId, String decision) throws Exception {
        try (ResultsDatabase results = db.open()) {
            Runs runs = new Runs(results);
            IndexedRun run = runs.find(runId).orElseThrow(() -> new UserError("run " + runId + " is not in "
                    + results.url() + " (lab history import RUN-DIR adds it)", ExitCodes.BAD_INPUT));
            runs.decide(run.runId(), decision, "lab baseline by " + System.getProperty("user.name"));
            System.out.println(run.runId() + " (" + run.planName() + "): " + decision);
        }
        return ExitCodes.OK;
    }

    /** A decision about one run; the subcommand says which. */
    abstract static class Decision implements Callable<Integer> {
        @Parameters(paramLabel = "RUN", description = "The run id.")
        String run;
        @Mixin
        DbOptions db;

        abstract String decision();

        @Override
        public Integer call() throws Exception {
            return decide(db, run, decision());
        }
    }

    @Command(name = "accept", mixinStandardHelpOptions = true,
            description = "Put a run into its plan's baseline (e.g. a regression that is intended, or a night lab "
                    + "could not judge).")
    static final class Accept extends Decision {
        @Override
        String decision() {
            return IndexedRun.ACCEPTED;
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Keep a run out of every baseline (e.g. a night the host was disturbed).")
    static final class Reject extends Decision {
        @Override
        String decision() {
            return IndexedRun.REJECTED;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "The baseline a night of PLAN on HOST would be judged against, variant by variant.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "PLAN", description = "The plan file.")
        Path plan;
        @Option(names = {"-H", "--host"}, paramLabel = "NAME", required = true, description = "The host.")
        String host;
        @Option(names = "--baseline-samples", paramLabel = "N", description = "As lab nightly (default: ${DEFAULT-VALUE}).")
        int samples = 9;
        @Option(names = "--baseline-runs", paramLabel = "N", description = "As lab nightly (default: ${DEFAULT-VALUE}).")
        int minRuns = 3;
        @Mixin
        DbOptions db;

        @Override
        public Integer call() throws Exception {
            var loaded = PlanLoader.load(plan);
            String hash = Digests.sha256(Files.readAllBytes(plan));
            List<String> metrics = loaded.resolved().get(0).verdict().regression().stream().map(l -> l.metric()).toList();
            try (ResultsDatabase results = db.open()) {
                Runs runs = new Runs(results);
                Set<String> variants = new LinkedHashSet<>();
                for (IndexedRun r : runs.ofPlan(null, hash, host)) {
                    runs.iterations(List.of(r.runId()), host, null, List.of()).forEach(i -> variants.add(i.variant()));
                }
                if (variants.isEmpty()) {
                    System.out.println("no run of this plan file (sha256 " + hash.substring(0, 12) + ") on " + host
                            + " in " + results.url());
                    return ExitCodes.OK;
                }
                for (String variant : variants) {
                    Baselines.Pool pool = new Baselines(runs).pool(new BaselineKey(hash, host, variant), samples,
                            minRuns, null, metrics);
                    System.out.println(variant + ": " + (pool.empty() ? "no accepted run yet"
                            : pool.describe() + (pool.enough() ? "" : " (still building)")));
                    for (IndexedRun r : pool.runs()) {
                        String kernel = pool.iterations().stream().filter(i -> i.runId().equals(r.runId()))
                                .map(StoredIteration::kernel).filter(java.util.Objects::nonNull).findFirst().orElse("?");
                        System.out.println("  " + r.runId() + "  " + r.startedAt() + "  " + kernel);
                    }
                }
            }
            return ExitCodes.OK;
        }
    }
}
