package dev.reclaimlab.cli;

import dev.reclaimlab.report.CompareReport;
import dev.reclaimlab.report.Grouping;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Report one run: every variant, host and repeat side by side, with statistics, charts and the "
                + "plan's verdict. Writes report.html, summary.json and junit.xml.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", description = "A run directory (runs/<run-id>-<plan>).")
    Path run;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: the run directory).")
    Path out;

    @Option(names = "--check", description = "Exit 1 when a verdict criterion fails (for CI jobs).")
    boolean check;

    @Override
    public Integer call() throws Exception {
        CompareReport.Written written = CompareReport.write(List.of(run), Grouping.VARIANT, out != null ? out : run);
        return ReportOutcome.print(written, check);
    }
}
