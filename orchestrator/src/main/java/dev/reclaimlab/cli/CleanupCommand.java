package dev.reclaimlab.cli;

import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.step.Journal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Finish the undo a crashed or killed `lab run` left on a host: replays every journal under "
                + Journal.BASE + ", newest entry first.",
                "Run it only when no lab run is active on the host."})
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    HostOptions hostOptions;

    @Option(names = "--run", paramLabel = "RUN-ID", description = "Only this run's journal (default: all).")
    String runId;

    @Override
    public Integer call() throws Exception {
        if (runId != null && !Journal.isRunId(runId)) {
            throw new UserError("--run: not a run id: " + runId, ExitCodes.BAD_INPUT);
        }
        Inventory inventory = hostOptions.loadInventory();
        List<String> names = hostOptions.hosts.isEmpty() ? List.of(HostSpec.LOCAL_NAME) : hostOptions.hosts;
        int exit = ExitCodes.OK;
        for (String name : names) {
            HostSpec host = inventory.host(name).orElseThrow(
                    () -> new UserError("no host named " + name + " in the inventory", ExitCodes.BAD_INPUT));
            try (Transport transport = new Transports(inventory, hostOptions.acceptNewHostKeys).open(host)) {
                exit = Math.max(exit, cleanup(transport));
            }
        }
        return exit;
    }

    private int cleanup(Transport transport) throws java.io.IOException {
        ExecResult list = transport.exec(Journal.listCommand(), Duration.ofSeconds(30));
        List<String> journals = new ArrayList<>();
        for (String line : list.stdout().split("\n")) {
            String id = line.strip();
            if (!id.isEmpty() && Journal.isRunId(id) && (runId == null || runId.equals(id))) {
                journals.add(id);
            }
        }
        if (journals.isEmpty()) {
            System.out.printf("[%s] nothing to clean up%s%n", transport.hostName(), runId == null ? "" : " for run " + runId);
            return ExitCodes.OK;
        }
        int exit = ExitCodes.OK;
        for (String id : journals) {
            String script = Journal.forRun(id).cleanupScript();
            ExecResult result = transport.exec(script, Duration.ofMinutes(5));
            for (String line : result.stdout().split("\n")) {
                if (!line.isBlank()) {
                    System.out.printf("[%s] %s: %s%n", transport.hostName(), id, line);
                }
            }
            if (result.ok()) {
                System.out.printf("[%s] %s: clean%n", transport.hostName(), id);
            } else {
                System.out.printf("[%s] %s: NOT clean (%s): %s%n", transport.hostName(), id, result.outcome(),
                        result.stderr().strip());
                exit = ExitCodes.RESIDUE;
            }
        }
        return exit;
    }
}
