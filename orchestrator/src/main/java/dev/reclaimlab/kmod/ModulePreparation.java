package dev.reclaimlab.kmod;

import dev.reclaimlab.arm64.Instruction;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.plan.PatchSpec;
import dev.reclaimlab.plan.Plan;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.StressSpec;
import dev.reclaimlab.vm.VmException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Gets a plan's kernel modules ready for one host before anything on it changes: renders each template for the
 * host's kernel, cross-builds it on the orchestrator for {@code lab vm} guests (others build it themselves, see
 * {@link ModuleSteps#install()}), and reads every patch point from the running kernel. Everything here only reads
 * the host.
 */
public final class ModulePreparation {
    public static final String STRESS_TEMPLATE = "reclaim-stress";
    public static final String PATCH_TEMPLATE = "insn-patch";

    private final ModuleTemplates templates;
    private final LabHome home;

    public ModulePreparation(ModuleTemplates templates, LabHome home) {
        this.templates = templates;
        this.home = home;
    }

    /**
     * The plan's modules for this host: rendered for its kernel; where lab builds them on the orchestrator, built
     * ({@code build}) or only given the place the build would take; and, when {@code readFrom} is given, every patch
     * point read from the running kernel.
     */
    public HostModules prepare(PlanFile planFile, HostSpec host, HostFacts facts, Optional<Transport> readFrom,
                               boolean build, Consumer<String> progress) throws IOException, KmodException {
        HostModules rendered = render(planFile, facts);
        if (rendered.all().isEmpty()) {
            return rendered;
        }
        Optional<PreparedModule> stress = rendered.stress();
        Optional<PreparedModule> patch = rendered.patch();
        if (host.kind().moduleBuild() == HostKind.ModuleBuild.ON_ORCHESTRATOR) {
            try {
                stress = buildHere(stress, build, progress);
                patch = buildHere(patch, build, progress);
            } catch (VmException e) {
                throw new KmodException(e.getMessage(), e);
            }
        }
        Map<String, PatchReading> readings = readFrom.isPresent() ? readPoints(planFile, readFrom.get(), progress)
                : Map.of();
        return new HostModules(stress, patch, readings);
    }

    /** A module built on the orchestrator, or (no {@code build}) where that build will be: the cache, by checksum. */
    private Optional<PreparedModule> buildHere(Optional<PreparedModule> module, boolean build,
                                               Consumer<String> progress) throws IOException, VmException {
        if (module.isEmpty()) {
            return module;
        }
        ModuleSource source = module.get().source();
        Path ko = build ? new CrossBuild(home).build(source, progress)
                : home.cache().resolve("modules/<checksum>").resolve(source.koName());
        return Optional.of(new PreparedModule(source, Optional.of(ko)));
    }

    /** What every patch point of the plan holds in the host's running kernel (read-only: kallsyms and kcore). */
    public static Map<String, PatchReading> readPoints(PlanFile planFile, Transport transport, Consumer<String> progress)
            throws IOException, KmodException {
        Map<String, PatchReading> readings = new LinkedHashMap<>();
        for (PatchSpec point : patchPoints(planFile)) {
            KernelText.Place place = KernelText.locate(transport, point.symbol(), point.offset());
            List<Instruction> original = KernelText.read(transport, place, point.expect().size());
            PatchReading reading = new PatchReading(point, place, original);
            readings.put(point.point(), reading);
            progress.accept(point.where() + " (0x" + Long.toHexString(place.address()) + ") holds "
                    + PatchReading.words(original) + (reading.matchesExpected() ? ", as the plan expects"
                    : "; the plan expects " + PatchReading.words(point.expect().stream()
                            .map(PatchSpec.PlannedInstruction::instruction).toList())
                            + ": the module will refuse to load"));
        }
        return readings;
    }

    /** The sources rendered for the (possibly assumed) kernel, nothing built or read. */
    public HostModules render(PlanFile planFile, HostFacts facts) throws KmodException {
        Optional<StressSpec> stress = planFile.resolved().stream().map(p -> p.kmod().stress())
                .flatMap(Optional::stream).findFirst();
        boolean patch = !patchPoints(planFile).isEmpty();
        if (stress.isEmpty() && !patch) {
            return HostModules.none();
        }
        KernelRelease kernel;
        try {
            kernel = KernelRelease.parse(facts.kernelRelease());
        } catch (IllegalArgumentException e) {
            throw new KmodException("cannot tell the kernel version from uname -r \"" + facts.kernelRelease() + "\": "
                    + e.getMessage());
        }
        Optional<PreparedModule> stressModule = Optional.empty();
        if (stress.isPresent()) {
            Set<String> masks = new LinkedHashSet<>();
            planFile.resolved().forEach(p -> p.kmod().stress().ifPresent(s -> masks.add(s.gfp())));
            if (masks.size() > 1) {
                // The mask is compiled in (gfp flag values differ between kernels); one build per run.
                throw new KmodException(stress.get().at() + ": kmod.stress.gfp must be the same in every variant, got "
                        + masks);
            }
            stressModule = Optional.of(new PreparedModule(render(STRESS_TEMPLATE, kernel, facts.machine(),
                    Map.of("gfp", stress.get().gfp())), Optional.empty()));
        }
        Optional<PreparedModule> patchModule = Optional.empty();
        if (patch) {
            patchModule = Optional.of(new PreparedModule(render(PATCH_TEMPLATE, kernel, facts.machine(), Map.of()), Optional.empty()));
        }
        return new HostModules(stressModule, patchModule, Map.of());
    }

    /** A template rendered for this kernel; what the template does not support is said, not thrown. */
    private ModuleSource render(String template, KernelRelease kernel, String machine, Map<String, ?> model)
            throws KmodException {
        try {
            return templates.render(template, kernel, machine, model);
        } catch (RuntimeException e) { // UnsupportedTargetException, ModuleTemplateException: both say why
            throw new KmodException(e.getMessage(), e);
        }
    }

    /** Every distinct patch point the plan's variants apply, in plan order. */
    static List<PatchSpec> patchPoints(PlanFile planFile) {
        Map<String, PatchSpec> points = new LinkedHashMap<>();
        for (Plan plan : planFile.resolved()) {
            plan.kmod().patch().ifPresent(p -> points.putIfAbsent(p.point(), p));
        }
        return List.copyOf(points.values());
    }

}
