package dev.reclaimlab.cli;

import dev.reclaimlab.host.FactsProbe;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostScripts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.kmod.HostModules;
import dev.reclaimlab.kmod.KmodException;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.kmod.ModuleTemplates;
import dev.reclaimlab.kmod.PatchReading;
import dev.reclaimlab.kmod.PreparedModule;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.run.RunEngine;
import dev.reclaimlab.step.ProgramPrinter;
import dev.reclaimlab.step.Requirements;
import dev.reclaimlab.step.StepCompiler;
import dev.reclaimlab.vm.LabHome;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Dry run: print every command `lab run` would run, per host, with its undo. Runs nothing.",
                "Without --probe no host is contacted and the host is assumed to have the --cgroup version given."})
final class PlanCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PLAN", description = "The plan (YAML).")
    Path planFile;

    @Mixin
    HostOptions hostOptions;

    @Option(names = "--probe", description = "Read each host's facts first (read-only) so commands match the host.")
    boolean probe;

    @Option(names = "--cgroup", paramLabel = "1|2", description = "Memory cgroup version to assume without --probe (default: ${DEFAULT-VALUE}).")
    int cgroupVersion = 2;

    @Option(names = "--show-library", description = "Also print lib.sh, the helper functions the commands call.")
    boolean showLibrary;

    @Override
    public Integer call() throws Exception {
        if (cgroupVersion != 1 && cgroupVersion != 2) {
            throw new UserError("--cgroup must be 1 or 2", ExitCodes.BAD_INPUT);
        }
        PlanFile plan = PlanLoader.load(planFile);
        Inventory inventory = hostOptions.loadInventory();
        PrintStream out = System.out;
        String runId = RunEngine.newRunId();
        int exit = ExitCodes.OK;
        for (HostSpec host : hostOptions.select(inventory, plan)) {
            HostFacts facts;
            Map<String, PatchReading> points = Map.of();
            if (probe) {
                try (Transport transport = new Transports(inventory, hostOptions.acceptNewHostKeys).open(host)) {
                    facts = FactsProbe.gather(transport, plan.traceSystems());
                    if (Requirements.unmet(plan, host, facts).isEmpty()) {
                        // the words each patch point holds now, as lab run reads them before loading anything
                        points = ModulePreparation.readPoints(plan, transport, line -> out.println("# " + line));
                    }
                } catch (KmodException e) {
                    throw new UserError(host.name() + ": " + e.getMessage(), ExitCodes.UNMET);
                }
                out.printf("# host %s: %s %s, memory cgroup v%d at %s (facts read from the host)%n", host.name(),
                        facts.kernelRelease(), facts.machine(), facts.memoryCgroupVersion(),
                        facts.memoryCgroupRoot().orElse("-"));
            } else {
                facts = AssumedFacts.of(cgroupVersion, plan);
                out.printf("# host %s: assuming memory cgroup v%d at %s and tracefs at %s (--probe reads the host)%n",
                        host.name(), cgroupVersion, facts.memoryCgroupRoot().orElseThrow(), facts.tracefs().orElseThrow());
            }
            // What the host lacks is said instead of commands that could not run there.
            List<String> unmet = Requirements.unmet(plan, host, facts);
            if (!unmet.isEmpty()) {
                unmet.forEach(u -> out.println("# UNMET: " + u));
                if (!probe) {
                    out.println("# (assumed host; --cgroup " + (3 - cgroupVersion) + " or --probe may fit yours)");
                }
                exit = ExitCodes.UNMET;
                continue;
            }
            HostModules modules;
            try {
                HostModules rendered = new ModulePreparation(new ModuleTemplates(), LabHome.fromEnvironment())
                        .render(plan, facts);
                // lab run cross-builds for VM guests into the cache; the checksum is only known once it has
                Function<PreparedModule, PreparedModule> built = m -> host.vm().isEmpty() ? m : new PreparedModule(
                        m.source(), Optional.of(LabHome.fromEnvironment().cache().resolve("modules/<checksum>")
                                .resolve(m.source().koName())));
                modules = new HostModules(rendered.stress().map(built), rendered.patch().map(built), points);
            } catch (KmodException e) {
                out.println("# UNMET: " + e.getMessage());
                exit = ExitCodes.UNMET;
                continue;
            }
            ProgramPrinter.print(out, new StepCompiler(runId).compile(plan, host, facts, HostScripts.library(), modules));
        }
        if (showLibrary) {
            out.println("\n# lib.sh, installed as /run/lab/<run-id>/lib.sh and sourced by every command:\n");
            out.print(HostScripts.library());
        }
        return exit;
    }
}
