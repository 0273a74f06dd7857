package dev.reclaimlab.cli;

import dev.reclaimlab.report.CompareReport;
import dev.reclaimlab.report.Grouping;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare runs side by side (e.g. the same plan on two kernels): the first run is the baseline.",
                "With --by variant, compare the variants of the runs instead (e.g. swappiness 0 vs 100)."})
final class CompareCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", arity = "1..*", description = "Run directories; the first is the baseline.")
    List<Path> runs;

    @Option(names = "--by", paramLabel = "run|variant", description = "What makes a side (default: ${DEFAULT-VALUE}).")
    String by = "run";

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where to write (default: runs/compare-<time> next to the first run).")
    Path out;

    @Option(names = "--check", description = "Exit 1 when a verdict criterion fails (for CI jobs).")
    boolean check;

    @Override
    public Integer call() throws Exception {
        Grouping grouping = switch (by) {
            case "run" -> Grouping.RUN;
            case "variant" -> Grouping.VARIANT;
            default -> throw new UserError("--by must be run or variant, not " + by, ExitCodes.BAD_INPUT);
        };
        Path target = out != null ? out : runs.get(0).toAbsolutePath().getParent().resolve("compare-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        return ReportOutcome.print(CompareReport.write(runs, grouping, target), check);
    }
}
