package dev.reclaimlab.cli;

import dev.reclaimlab.bisect.Analysis;
import dev.reclaimlab.bisect.BisectReport;
import dev.reclaimlab.bisect.BisectState;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Recompute a bisect's verdicts, path and answer from the samples in DIR/bisect.json, and write its "
                + "report again; touches no host.")
final class BisectReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The bisect's folder (its --out).")
    Path dir;

    @Override
    public Integer call() throws Exception {
        BisectState state = BisectState.load(dir);
        Analysis analysis = state.analyze();
        Path report = BisectReport.write(dir, state, analysis);
        BisectCommand.print(analysis, dir, report);
        if (analysis.next() != null) {
            System.out.println("unfinished: lab bisect --resume " + dir + " goes on");
        }
        return BisectCommand.exitCode(analysis.outcome());
    }
}
