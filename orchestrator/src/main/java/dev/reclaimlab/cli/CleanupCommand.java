package dev.reclaimlab.cli;

import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.HostKeyException;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.run.BootMethods;
import dev.reclaimlab.run.HostBoot;
import dev.reclaimlab.step.Journal;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cleanup", mixinStandardHelpOptions = true,
        description = {"Finish the undo a crashed or killed `lab run` left on a host: replays the journal of every run "
                + "in the host's work directory, newest entry first, and removes the run's folder.",
                "A run whose orchestrator still sends heartbeats is live and left alone unless --force; a run whose "
                        + "heartbeats stopped is undone by the host's own watchdog anyway, after the plan's watchdog "
                        + "time."})
final class CleanupCommand implements Callable<Integer> {
    @Mixin
    HostOptions hostOptions;

    @Option(names = "--run", paramLabel = "RUN-ID", description = "Only this run's journal (default: all).")
    String runId;

    @Option(names = "--force", description = "Also undo runs that look live (their orchestrator sent a heartbeat "
            + "within their watchdog time): for an orchestrator you know is gone.")
    boolean force;

    @Option(names = "--power-cycle", description = "A host that does not answer (its kernel hung or panicked, its "
            + "run's orchestrator gone) is power-cycled through its boot method's power control (a lab vm's QEMU, "
            + "the inventory's power_cycle or redfish), then cleaned up.")
    boolean powerCycle;

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
            Transports transports = new Transports(inventory, hostOptions.acceptNewHostKeys);
            boolean liveLeft;
            if (powerCycle) {
                bringBack(host, transports);
            }
            try (Transport transport = open(transports, host)) {
                int cleaned = cleanup(transport, host.workdir());
                liveLeft = cleaned == LIVE_LEFT_ALONE;
                exit = Math.max(exit, liveLeft ? ExitCodes.OK : cleaned);
            }
            exit = Math.max(exit, bootDefault(host, transports, liveLeft));
        }
        return exit;
    }

    private Transport open(Transports transports, HostSpec host) throws IOException {
        try {
            return transports.open(host);
        } catch (HostKeyException e) {
            throw e; // not a host that is down
        } catch (IOException e) {
            throw new IOException(e.getMessage() + (powerCycle ? "" : "; if its kernel hung or panicked, `lab cleanup "
                    + "--host " + host.name() + " --power-cycle` power-cycles it first"), e);
        }
    }

    /** Power-cycles {@code host} if it does not answer, and waits for it: {@code --power-cycle}. */
    private static void bringBack(HostSpec host, Transports transports) throws IOException {
        try {
            transports.open(host).close();
            return; // it answers: nothing to bring back
        } catch (IOException down) {
            System.out.printf("[%s] does not answer (%s): power-cycling it%n", host.name(), down.getMessage());
        }
        Optional<BootMethod> method = new HostBootMethods(transports).of(host);
        if (method.isEmpty()) {
            throw new UserError("--power-cycle: lab has no power control for " + host.name() + " (give it a boot: "
                    + "section with power_cycle or redfish in the inventory)", ExitCodes.FAILED);
        }
        // any boot id will do: the one it had is unknown, and the host does not answer with it
        new HostBoot(host, transports, method.get(), Optional.empty(), new TerminalProgress(System.err))
                .recover("", Optional.empty());
    }

    /** What {@link #cleanup} returns when it left a live run alone: that run may still need the kernel it booted. */
    private static final int LIVE_LEFT_ALONE = -1;

    /**
     * A host that still runs a kernel or command line lab booted once (a run was killed before it booted the default
     * again) is booted back to its default, unless a live run was left alone on it.
     */
    static int bootDefault(HostSpec host, Transports transports, boolean liveLeft) throws IOException {
        BootMethods methods = new HostBootMethods(transports);
        Optional<BootMethod> method = methods.of(host);
        if (method.isEmpty()) {
            return ExitCodes.OK;
        }
        HostBoot boot = new HostBoot(host, transports, method.get(), Optional.empty(), new TerminalProgress(System.err));
        Optional<BootTarget> labBoot = boot.labBoot();
        if (labBoot.isEmpty()) {
            return ExitCodes.OK;
        }
        if (liveLeft) {
            System.out.printf("[%s] runs %s, which lab booted for a live run: left alone%n", host.name(),
                    labBoot.get().label());
            return ExitCodes.OK;
        }
        System.out.printf("[%s] runs %s, which lab booted once: booting its default%n", host.name(),
                labBoot.get().label());
        try {
            boot.restoreDefault();
        } catch (IOException e) {
            System.out.printf("[%s] NOT back on its default: %s%n", host.name(), e.getMessage());
            return ExitCodes.RESIDUE;
        }
        System.out.printf("[%s] back on its default kernel and command line%n", host.name());
        return ExitCodes.OK;
    }

    private int cleanup(Transport transport, String base) throws IOException {
        ExecResult list = transport.exec(Journal.listCommand(base), Duration.ofSeconds(30));
        List<Journal> journals = new ArrayList<>();
        for (String line : list.stdout().split("\n")) {
            String dir = line.strip();
            if (dir.isEmpty()) {
                continue;
            }
            Journal journal = new Journal(dir);
            if (Journal.isRunId(journal.runId()) && (runId == null || runId.equals(journal.runId()))) {
                journals.add(journal);
            }
        }
        String host = transport.hostName();
        if (journals.isEmpty()) {
            System.out.printf("[%s] nothing to clean up%s%n", host, runId == null ? "" : " for run " + runId);
            return ExitCodes.OK;
        }
        int exit = ExitCodes.OK;
        boolean live = false;
        for (Journal journal : journals) {
            String id = journal.runId();
            ExecResult result = transport.exec(journal.cleanupScript(force), Duration.ofMinutes(5));
            if (result.exitCode() == Journal.LIVE) {
                System.out.printf("[%s] %s: live (%s): left alone; --force undoes it anyway%n", host, id,
                        result.stdout().strip());
                live = true;
                continue;
            }
            for (String line : result.stdout().split("\n")) {
                if (!line.isBlank()) {
                    System.out.printf("[%s] %s: %s%n", host, id, line);
                }
            }
            if (result.ok()) {
                System.out.printf("[%s] %s: clean%n", host, id);
            } else {
                System.out.printf("[%s] %s: NOT clean (%s): %s%n", host, id, result.outcome(),
                        result.stderr().strip());
                exit = ExitCodes.RESIDUE;
            }
        }
        return live && exit == ExitCodes.OK ? LIVE_LEFT_ALONE : exit;
    }
}
