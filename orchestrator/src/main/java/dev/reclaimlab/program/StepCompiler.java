package dev.reclaimlab.program;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.cgroup.CgroupSteps;
import dev.reclaimlab.cgroup.MemoryCgroupFiles;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.kmod.HostModules;
import dev.reclaimlab.kmod.ModuleSteps;
import dev.reclaimlab.plan.CgroupSpec;
import dev.reclaimlab.plan.Plan;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.Sysctl;
import dev.reclaimlab.plan.TracingSpec;
import dev.reclaimlab.plan.Variant;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Owner;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.step.Upload;
import dev.reclaimlab.trace.TraceBuffer;
import dev.reclaimlab.trace.TraceSteps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.reclaimlab.shell.Sh.quote;

/**
 * Turns a plan into the ordered shell steps for one host, given what the host is. Pure: it runs nothing, so
 * {@code lab plan} prints exactly what {@code lab run} will do, and tests can compare command lists.
 */
public final class StepCompiler {
    /** Where tracefs is mounted when the host has not mounted it. */
    public static final String DEFAULT_TRACEFS = "/sys/kernel/tracing";

    private final String runId;
    private final Owner owner;

    public StepCompiler(String runId, Owner owner) {
        this.runId = runId;
        this.owner = owner;
    }

    public HostLayout layout(HostSpec host, HostFacts facts) {
        return HostLayout.of(runId, host.workdir(), facts.memoryCgroupRoot().orElse("/sys/fs/cgroup"),
                facts.tracefs().orElse(DEFAULT_TRACEFS));
    }

    public HostProgram compile(PlanFile planFile, HostSpec host, HostFacts facts, String libScript) {
        return compile(planFile, host, facts, libScript, HostModules.none(), Optional.empty());
    }

    /**
     * @param modules the plan's kernel modules, rendered (and built, where lab builds them) for this host
     * @param sampler lab's sampler built for this host, where the plan profiles (or where its build will be)
     */
    public HostProgram compile(PlanFile planFile, HostSpec host, HostFacts facts, String libScript,
                               HostModules modules, Optional<Path> sampler) {
        HostLayout layout = layout(host, facts);
        ModuleSteps kmod = new ModuleSteps(layout, modules);
        List<Step> prepare = new ArrayList<>();
        Plan first = planFile.resolved().get(0);
        prepare.add(layout.journal().begin(libScript, layout.base(), layout.workdir(), first.watchdog(),
                first.shareHosts(), owner));
        boolean tracing = planFile.resolved().stream().anyMatch(p -> p.tracing().isPresent());
        if (tracing && facts.tracefs().isEmpty()) {
            prepare.add(TraceSteps.mount(DEFAULT_TRACEFS));
        }

        String samplerPath = layout.workdir() + "/" + RunLayout.SAMPLER;
        List<Upload> uploads = new ArrayList<>(kmod.uploads());
        boolean labSampler = planFile.resolved().stream().flatMap(p -> p.profile().stream())
                .anyMatch(p -> !p.usesPerf(facts.has("perf")));
        sampler.filter(binary -> labSampler).ifPresent(binary -> uploads.add(new Upload(binary, samplerPath,
                "copy lab's sampler (built for " + facts.machine() + ") to the host")));
        List<IterationProgram> iterations = new ArrayList<>();
        for (Variant variant : planFile.variants()) {
            Plan plan = planFile.planFor(variant);
            for (int repeat = 1; repeat <= planFile.repeat(); repeat++) {
                iterations.add(iteration(plan, variant, repeat, host, facts, layout, kmod, samplerPath));
            }
        }
        return new HostProgram(host.name(), layout, first.watchdog(), prepare, uploads, kmod.install(), iterations);
    }

    private IterationProgram iteration(Plan plan, Variant variant, int repeat, HostSpec host, HostFacts facts,
                                       HostLayout layout, ModuleSteps kmod, String sampler) {
        String dir = layout.iterationDir(RunLayout.iteration(variant.slug(), repeat));
        String localDir = RunLayout.iteration(host.name(), variant.slug(), repeat);
        List<Step> setup = new ArrayList<>();
        List<Step> run = new ArrayList<>();
        List<Fetch> fetches = new ArrayList<>();

        setup.add(Step.undoable("iteration", "make the directory of " + variant.label() + ", repeat " + repeat,
                Sh.command("lab_mkdir", dir), Sh.command("lab_rmtree", dir)));
        boolean modules = !plan.kmod().isEmpty();
        String marker = "run=" + runId + " variant=" + variant.slug() + " repeat=" + repeat;
        if (modules) {
            setup.add(kmod.mark(dir, marker));
        }
        plan.swap().ifPresent(swap -> setup.add(SwapSteps.build(swap, layout)));
        for (Sysctl sysctl : plan.sysctls()) {
            setup.add(SysctlSteps.build(sysctl));
        }
        MemoryCgroupFiles files = facts.memoryCgroupVersion() == 0 ? MemoryCgroupFiles.V2
                : MemoryCgroupFiles.forVersion(facts.memoryCgroupVersion());
        if (!plan.cgroups().isEmpty()) {
            setup.addAll(new CgroupSteps(layout, files, facts.memoryCgroupRoot().orElse("/sys/fs/cgroup"),
                    facts.memoryControllerDelegated()).build(plan.cgroups()));
        }
        TraceSteps trace = plan.tracing().map(t -> new TraceSteps(layout, t,
                TraceBuffer.choose(t, facts.memTotalBytes(), facts.cpus()), facts.cpus())).orElse(null);
        if (trace != null) {
            setup.addAll(trace.setup(dir));
        }
        plan.kmod().patch().ifPresent(patch -> setup.add(kmod.loadPatch(patch, dir, marker)));

        List<WorkloadSteps.CopyPlacement> copies = WorkloadSteps.placements(plan, layout, files, dir);
        if (plan.dropCaches()) {
            run.add(Step.action("drop-caches", "sync and drop the page cache so every repeat starts alike",
                    "lab_drop_caches").withTimeout(java.time.Duration.ofMinutes(5)));
        }
        if (trace != null) {
            run.add(trace.start(dir, "lab: start run=" + runId + " variant=" + variant.label() + " repeat=" + repeat));
        }
        plan.monitors().ifPresent(monitors -> run.add(MonitorSteps.start(monitors, dir, cgroupDirs(plan, layout))));
        plan.profile().ifPresent(profile -> run.add(ProfileSteps.start(profile,
                profile.usesPerf(facts.has("perf")), sampler, dir)));
        run.add(WorkloadSteps.run(plan, copies, dir));
        plan.kmod().stress().ifPresent(stress -> {
            run.add(kmod.loadStress(stress, layout.cgroup(stress.cgroup()), marker));
            run.add(kmod.finishStress(stress, dir));
        });
        plan.profile().ifPresent(profile -> run.add(ProfileSteps.stop(profile, profile.usesPerf(facts.has("perf")),
                dir)));
        plan.monitors().ifPresent(monitors -> run.add(MonitorSteps.stop(dir)));
        if (trace != null) {
            run.add(trace.stop(dir));
            fetches.addAll(trace.fetches(dir, localDir));
        }
        plan.kmod().patch().ifPresent(patch -> run.add(kmod.unloadPatch(patch, dir)));
        if (modules) {
            run.add(kmod.saveDmesg(dir, marker));
            fetches.addAll(ModuleSteps.fetches(dir, localDir));
        }
        plan.monitors().ifPresent(monitors -> fetches.addAll(MonitorSteps.fetches(monitors, dir, localDir)));
        plan.profile().ifPresent(profile -> fetches.addAll(ProfileSteps.fetches(dir, localDir)));
        fetches.addAll(WorkloadSteps.fetches(copies, dir, localDir));
        return new IterationProgram(variant, repeat, dir, localDir, setup, run, fetches,
                plan.tracing().map(TracingSpec::capture));
    }

    /** The cgroups whose memory.stat the monitors sample: the plan's own, not every fan-out child. */
    private static List<String> cgroupDirs(Plan plan, HostLayout layout) {
        return plan.cgroups().stream().map(CgroupSpec::path).map(layout::cgroup).toList();
    }
}
