package dev.reclaimlab.cli;

import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.host.FactsProbe;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostScripts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.kmod.KmodException;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.kmod.ModuleTemplates;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.profile.SamplerBuild;
import dev.reclaimlab.program.HostPreparation;
import dev.reclaimlab.program.ProgramPrinter;
import dev.reclaimlab.run.BootMethods;
import dev.reclaimlab.run.RunEngine;
import dev.reclaimlab.step.Owner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
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

    @Mixin
    PlanOptions planOptions;

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
        PlanFile plan = planOptions.load(planFile);
        Inventory inventory = hostOptions.loadInventory();
        PrintStream out = System.out;
        HostPreparation preparation = new HostPreparation(RunEngine.newRunId(), Owner.thisProcess(),
                new ModulePreparation(new ModuleTemplates(), LabHome.fromEnvironment()),
                new SamplerBuild(LabHome.fromEnvironment()));
        int exit = ExitCodes.OK;
        BootMethods bootMethods = new HostBootMethods(new Transports(inventory, hostOptions.acceptNewHostKeys));
        for (HostSpec host : hostOptions.select(inventory, plan)) {
            if (plan.boots()) {
                exit = Math.max(exit, printBoots(plan, host, bootMethods, preparation, out));
                continue;
            }
            HostPreparation.Result prepared;
            if (probe) {
                try (Transport transport = new Transports(inventory, hostOptions.acceptNewHostKeys).open(host)) {
                    HostFacts facts = FactsProbe.gather(transport, plan.traceSystems());
                    out.printf("# host %s: %s %s, memory cgroup v%d at %s (facts read from the host)%n", host.name(),
                            facts.kernelRelease(), facts.machine(), facts.memoryCgroupVersion(),
                            facts.memoryCgroupRoot().orElse("-"));
                    // the words each patch point holds now, as lab run reads them before loading anything
                    prepared = prepare(preparation, plan, host, facts, Optional.of(transport), out);
                }
            } else {
                HostFacts facts = AssumedFacts.of(cgroupVersion, plan);
                out.printf("# host %s: assuming memory cgroup v%d at %s and tracefs at %s (--probe reads the host)%n",
                        host.name(), cgroupVersion, facts.memoryCgroupRoot().orElseThrow(), facts.tracefs().orElseThrow());
                prepared = prepare(preparation, plan, host, facts, Optional.empty(), out);
            }
            if (prepared instanceof HostPreparation.Result.Ready ready) {
                ProgramPrinter.print(out, ready.program());
            } else {
                // What the host lacks is said instead of commands that could not run there.
                exit = ExitCodes.UNMET;
                if (!probe && prepared instanceof HostPreparation.Result.Unmet) {
                    out.println("# (assumed host; --cgroup " + (3 - cgroupVersion) + " or --probe may fit yours)");
                }
            }
        }
        if (showLibrary) {
            out.println("\n# lib.sh, installed as /run/lab/<run-id>/lib.sh and sourced by every command:\n");
            out.print(HostScripts.library());
        }
        return exit;
    }

    /**
     * A plan with a boot section: per boot, what lab run boots and checks, then that boot's program as it would be
     * for a host with the assumed facts (lab run reads the facts again after every boot).
     */
    private int printBoots(PlanFile plan, HostSpec host, BootMethods bootMethods, HostPreparation preparation,
                           PrintStream out) throws IOException {
        Optional<BootMethod> method = bootMethods.of(host);
        if (method.isEmpty()) {
            out.println("# host " + host.name() + "\n# UNMET: " + bootMethods.whyNot(host));
            return ExitCodes.UNMET;
        }
        int exit = ExitCodes.OK;
        List<PlanFile.BootGroup> groups = plan.bootGroups();
        out.printf("# host %s: %d boot(s) through its %s boot method, each once for all of its iterations; after each, "
                + "lab checks that the boot id changed, uname -r and /proc/cmdline, and reads the facts again. At the "
                + "end the host boots its default kernel and command line again.%n", host.name(), groups.size(),
                method.get().name());
        for (PlanFile.BootGroup group : groups) {
            out.println();
            out.println("# boot: " + group.target().label() + " (" + group.plan().variants().size()
                    + " variant(s) x " + group.plan().repeat() + " repeat(s))");
            method.get().steps(group.target()).forEach(step -> out.println("#   " + step));
            HostFacts facts = AssumedFacts.of(cgroupVersion, group.plan());
            HostPreparation.Result prepared = prepare(preparation, group.plan(), host, facts, Optional.empty(), out);
            if (prepared instanceof HostPreparation.Result.Ready ready) {
                ProgramPrinter.print(out, ready.program());
            } else {
                exit = ExitCodes.UNMET;
            }
        }
        out.println();
        out.println("# boot: " + BootTarget.hostDefault().label());
        method.get().defaultSteps().forEach(step -> out.println("#   " + step));
        return exit;
    }

    /** The host prepared as lab run would, but building nothing; what it lacks (modules included) is printed. */
    private static HostPreparation.Result prepare(HostPreparation preparation, PlanFile plan, HostSpec host,
                                                  HostFacts facts, Optional<Transport> transport, PrintStream out)
            throws IOException {
        try {
            HostPreparation.Result prepared = preparation.prepare(plan, host, facts, transport,
                    HostPreparation.Purpose.DRY_RUN, line -> out.println("# " + line));
            if (prepared instanceof HostPreparation.Result.Unmet unmet) {
                unmet.problems().forEach(u -> out.println("# UNMET: " + u));
            }
            return prepared;
        } catch (KmodException e) {
            out.println("# UNMET: " + (transport.isPresent() ? host.name() + ": " : "") + e.getMessage());
            return new HostPreparation.Result.Unmet(List.of(e.getMessage()));
        }
    }
}
