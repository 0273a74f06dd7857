package dev.reclaimlab.program;

import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostScripts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.kmod.HostModules;
import dev.reclaimlab.kmod.KmodException;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.profile.ProfileException;
import dev.reclaimlab.profile.SamplerBuild;
import dev.reclaimlab.step.Owner;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * From a host's facts to the program {@code lab run} runs there: what the host lacks, then the kernel modules, then
 * the steps. {@code lab run} and {@code lab plan} both go through here, so the plan shows exactly what a run does.
 * Nothing here changes the host: it is read at most (patch points).
 */
public final class HostPreparation {
    /** Why a host is prepared, which says how far the kernel modules are taken. */
    public enum Purpose {
        /** {@code lab run}: modules built where lab builds them. */
        RUN,
        /** {@code lab plan}: modules rendered, and shown where lab run would build them. */
        DRY_RUN
    }

    /** A host prepared: either what it lacks, or its program. */
    public sealed interface Result {
        /** The host lacks what the plan needs; each problem is one sentence. Nothing may run there. */
        record Unmet(List<String> problems) implements Result {
            public Unmet {
                problems = List.copyOf(problems);
            }
        }

        /** The host can run the plan. */
        record Ready(HostProgram program, HostModules modules) implements Result {}
    }

    private final StepCompiler compiler;
    private final ModulePreparation modules;
    private final SamplerBuild samplers;

    public HostPreparation(String runId, Owner owner, ModulePreparation modules, SamplerBuild samplers) {
        this.compiler = new StepCompiler(runId, owner);
        this.modules = modules;
        this.samplers = samplers;
    }

    /**
     * @param readFrom the host, when lab may read it: its patch points are then read from the running kernel
     * @throws KmodException a module cannot be rendered or built for this host, or a patch point cannot be read
     */
    public Result prepare(PlanFile plan, HostSpec host, HostFacts facts, Optional<Transport> readFrom, Purpose purpose,
                          Consumer<String> progress) throws IOException, KmodException {
        List<String> unmet = Requirements.unmet(plan, host, facts);
        if (!unmet.isEmpty()) {
            return new Result.Unmet(unmet);
        }
        HostModules prepared = modules.prepare(plan, host, facts, readFrom, purpose == Purpose.RUN, progress);
        Optional<Path> sampler = Optional.empty();
        boolean perf = facts.has("perf");
        if (plan.resolved().stream().flatMap(p -> p.profile().stream()).anyMatch(p -> !p.usesPerf(perf))) {
            try {
                sampler = Optional.of(purpose == Purpose.RUN ? samplers.build(facts.machine(), progress)
                        : samplers.planned(facts.machine()));
            } catch (ProfileException e) {
                // reported as a module that cannot be built is: before anything on the host changes
                throw new KmodException(e.getMessage(), e);
            }
        }
        return new Result.Ready(compiler.compile(plan, host, facts, HostScripts.library(), prepared, sampler),
                prepared);
    }
}
