package dev.reclaimlab.cli;

import dev.reclaimlab.history.ResultsDatabase;
import dev.reclaimlab.local.LabHome;
import java.io.IOException;
import picocli.CommandLine.Option;

/** Which results database a command reads and writes. */
final class DbOptions {
    @Option(names = "--db", paramLabel = "URL", description = "The results database: jdbc:sqlite:FILE or "
            + "jdbc:postgresql://HOST/DB (default: $LAB_DB, else jdbc:sqlite:$LAB_HOME/results.db).")
    String url;

    ResultsDatabase open() {
        String resolved = ResultsDatabase.resolveUrl(url, System.getenv(), LabHome.fromEnvironment());
        try {
            return ResultsDatabase.open(resolved, System.getenv());
        } catch (IOException e) {
            throw new UserError(e.getMessage(), ExitCodes.FAILED);
        }
    }
}
