package dev.reclaimlab.cli;

import dev.reclaimlab.history.HistoryPage;
import dev.reclaimlab.history.IndexedRun;
import dev.reclaimlab.history.Regressions;
import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.history.RunIndexer;
import dev.reclaimlab.history.Trend;
import dev.reclaimlab.history.Trends;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.plan.VerdictSpec;
import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true, subcommands = HistoryCommand.Import.class,
        description = {"A plan's metrics run after run from the results database: a self-contained HTML page of trend "
                + "charts (regressions marked, hover for run and kernel, click for its report), or --json / --csv.",
                "PLAN is a plan file or a plan's name."})
final class HistoryCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PLAN", arity = "0..1", description = "The plan file, or the plan's name.")
    String plan;

    @Option(names = {"-H", "--host"}, paramLabel = "NAME", description = "Only this host's iterations.")
    String host;

    @Option(names = {"-m", "--metric"}, paramLabel = "M", description = "A metric by its metrics.json path "
            + "(repeatable; default: the plan's verdict.regression metrics, else every metric).")
    List<String> metrics = new ArrayList<>();

    static final class Format {
        @Option(names = "--json", description = "JSON on stdout instead of the page.")
        boolean json;
        @Option(names = "--csv", description = "CSV on stdout: one row per run and trend.")
        boolean csv;
    }

    @ArgGroup(exclusive = true)
    Format format = new Format();

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where the page goes (default: history-PLAN.html).")
    Path out;

    @Mixin
    DbOptions db;

    @Override
    public Integer call() throws Exception {
        if (plan == null) {
            throw new UserError("lab history needs PLAN (a plan file or name), or: lab history import RUN-DIR...",
                    ExitCodes.BAD_INPUT);
        }
        String name = plan;
        List<String> wanted = new ArrayList<>(metrics);
        double lostLimit = VerdictSpec.DEFAULT_MAX_LOST_PERCENT;
        Path file = Path.of(plan);
        if (Files.isRegularFile(file)) {
            var loaded = PlanLoader.load(file);
            name = loaded.name();
            VerdictSpec verdict = loaded.resolved().get(0).verdict();
            lostLimit = verdict.maxLostPercent();
            if (wanted.isEmpty()) {
                verdict.regression().forEach(limit -> wanted.add(limit.metric()));
            }
        }
        try (ResultsDatabase results = db.open()) {
            List<Trend> trends = new Trends(results).of(name, host, wanted);
            var regressions = new Regressions(results).ofPlan(name, host);
            if (trends.isEmpty()) {
                System.err.println("lab history: no run of " + name + (host == null ? "" : " on " + host) + " in "
                        + results.url() + (wanted.isEmpty() ? "" : " with " + String.join(", ", wanted))
                        + " (lab history import RUN-DIR... adds runs made elsewhere)");
            }
            if (format.json) {
                System.out.print(HistoryPage.json(name, host, trends, regressions));
            } else if (format.csv) {
                System.out.print(HistoryPage.csv(trends));
            } else {
                Path page = out != null ? out : Path.of("history-" + name + ".html");
                Trees.write(page, HistoryPage.html(name, host, trends, regressions, lostLimit, page)
                        .getBytes(StandardCharsets.UTF_8));
                System.out.println("history: " + page.toAbsolutePath());
            }
        }
        return ExitCodes.OK;
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Index run directories made elsewhere (or before the database existed) into the results database.")
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "RUN-DIR", arity = "1..*", description = "Run directories (with a manifest.json).")
        List<Path> runs;

        @Mixin
        DbOptions db;

        @Override
        public Integer call() throws Exception {
            int failed = 0;
            try (ResultsDatabase results = db.open()) {
                RunIndexer indexer = new RunIndexer(results);
                for (Path run : runs) {
                    try {
                        IndexedRun indexed = indexer.index(run, "import");
                        System.out.printf("imported %s (%s, %d iterations)%n", indexed.runId(), indexed.planName(),
                                indexed.iterations());
                    } catch (IOException | RuntimeException e) {
                        failed++;
                        System.err.println("lab history import: " + run + ": " + e.getMessage());
                    }
                }
                System.out.println("into " + results.url());
            }
            return failed == 0 ? ExitCodes.OK : ExitCodes.BAD_INPUT;
        }
    }
}
