package dev.reclaimlab.cli;

import dev.reclaimlab.analysis.ReclaimAnalyzer;
import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.artifacts.RunStatus;
import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.history.RunIndexer;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.kmod.ModuleTemplates;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.report.CompareReport;
import dev.reclaimlab.run.RunEngine;
import dev.reclaimlab.run.RunResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run a plan on its hosts: set up, run the workloads, collect traces and monitors, undo everything.")
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PLAN", description = "The plan (YAML).")
    Path planFile;

    @Mixin
    HostOptions hostOptions;

    @Mixin
    PlanOptions planOptions;

    @Mixin
    DbOptions db;

    @Option(names = "--runs", paramLabel = "DIR", description = "Where run directories go (default: ${DEFAULT-VALUE}).")
    Path runsDir = Path.of("runs");

    @Option(names = "--repeat", paramLabel = "N", description = "Run every variant N times (overrides the plan's repeat).")
    Integer repeat;

    @Override
    public Integer call() throws Exception {
        PlanFile plan = planOptions.load(planFile);
        if (repeat != null) {
            if (repeat < 1) {
                throw new UserError("--repeat must be at least 1", ExitCodes.BAD_INPUT);
            }
            plan = new PlanFile(plan.source(), plan.name(), plan.variants(), repeat, plan.resolved());
        }
        Inventory inventory = hostOptions.loadInventory();
        var hosts = hostOptions.select(inventory, plan);
        TerminalProgress progress = new TerminalProgress(System.err);
        Transports transports = new Transports(inventory, hostOptions.acceptNewHostKeys);
        RunEngine engine = new RunEngine(runsDir, transports, new ReclaimAnalyzer(),
                new ModulePreparation(new ModuleTemplates(), LabHome.fromEnvironment()), progress,
                new HostBootMethods(transports));
        RunResult result = engine.run(plan, hosts);
        Path report = null;
        if (result.status() != RunStatus.INTERRUPTED) {
            report = writeReport(result.dir());
        }
        System.out.println("run:      " + result.dir().root());
        System.out.println("manifest: " + result.manifest());
        if (report != null) {
            System.out.println("report:   " + report);
        }
        index(result.dir().root());
        System.out.println("status:   " + result.status());
        return switch (result.status()) {
            case OK -> ExitCodes.OK;
            case UNMET -> ExitCodes.UNMET;
            case INTERRUPTED -> ExitCodes.INTERRUPTED;
            case RESIDUE -> ExitCodes.RESIDUE;
            case FAILED, RUNNING -> ExitCodes.FAILED;
        };
    }

    /**
     * Every run lab makes goes into the results database, so that lab history and nightly baselines see it; a database
     * that cannot be reached is said and the run keeps its status.
     */
    private void index(Path run) {
        try (ResultsDatabase results = db.open()) {
            new RunIndexer(results).index(run, "run");
            System.out.println("indexed:  " + results.url());
        } catch (IOException | UserError e) {
            System.err.println("lab: the run is not in the results database: " + e.getMessage()
                    + " (lab history import " + run + " adds it later)");
        }
    }

    /**
     * The run's own report; one that cannot be written is said, and the run keeps its status. Iterations whose trace
     * lost events are named on stderr: their figures are not results.
     */
    private static Path writeReport(RunDirectory run) {
        try {
            CompareReport.Written written = CompareReport.writeForRun(run);
            ReportOutcome.warnLost(written);
            return written.report();
        } catch (IOException e) {
            System.err.println("lab: cannot write the report: " + e.getMessage());
            return null;
        }
    }
}
