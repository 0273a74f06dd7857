package dev.reclaimlab.kmod;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.plan.PatchSpec;
import dev.reclaimlab.plan.StressSpec;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.step.Upload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static dev.reclaimlab.shell.Sh.quote;

/**
 * The host steps of the plan's {@code kmod:} section. Modules live in the run's work directory; every load is an
 * undoable step whose undo ({@code lab_rmmod}) is in the journal before {@code insmod} runs, so teardown and
 * {@code lab cleanup} unload them. Unloading the patch module is what restores the kernel text; lab then reads the
 * text again and fails the iteration if it is not what it was before.
 *
 * <p>Within an iteration: the patch is loaded during setup (the whole traced window runs patched); the stress
 * module is loaded once the workloads have finished, on the page cache they left charged to the cgroup, and lab
 * waits for its workers to finish before unloading it and stopping the trace. The kernel log from the iteration's
 * marker on is kept as {@code kmod/dmesg.txt}.
 */
public final class ModuleSteps {
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
    /** How long lab waits for stress workers bounded by loops only (no duration). */
    static final Duration LOOPS_TIMEOUT = Duration.ofMinutes(30);

    private final HostLayout layout;
    private final HostModules modules;

    public ModuleSteps(HostLayout layout, HostModules modules) {
        this.layout = layout;
        this.modules = modules;
    }

    public String koPath(PreparedModule module) {
        return layout.workdir() + "/" + RunLayout.KMOD + "/" + module.source().koName();
    }

    private String sourceDir(PreparedModule module) {
        return layout.workdir() + "/" + RunLayout.KMOD + "/" + module.name();
    }

    /** Modules built on the orchestrator, to copy onto the host. */
    public List<Upload> uploads() {
        List<Upload> uploads = new ArrayList<>();
        for (PreparedModule m : modules.all()) {
            m.builtKo().ifPresent(ko -> uploads.add(new Upload(ko, koPath(m),
                    "copy " + m.source().koName() + " (built for " + m.source().kernel() + ") to the host")));
        }
        return uploads;
    }

    /**
     * Run-wide steps before the uploads: the module folder, and for modules the host builds itself, their source and
     * the build (its log kept next to the source; the last lines of it in the error when it fails).
     */
    public List<Step> install() {
        List<Step> steps = new ArrayList<>();
        if (modules.all().isEmpty()) {
            return steps;
        }
        steps.add(Step.action("kmod:dir", "make the module folder",
                "mkdir -p " + quote(layout.workdir() + "/" + RunLayout.KMOD)));
        for (PreparedModule m : modules.all()) {
            if (m.builtKo().isPresent()) {
                continue;
            }
            String dir = sourceDir(m);
            for (Map.Entry<String, String> file : m.source().files().entrySet()) {
                steps.add(Step.action("kmod:source", "write " + m.name() + "/" + file.getKey(),
                        Sh.command("lab_put", dir + "/" + file.getKey())).withStdin(file.getValue()));
            }
            steps.add(Step.action("kmod:build", "build " + m.source().koName() + " against /lib/modules/$(uname -r)/build",
                    Sh.command("lab_kmod_build", dir, m.source().koName(), koPath(m)))
                    .withTimeout(BUILD_TIMEOUT).asLongRunning());
        }
        return steps;
    }

    /** The first setup step of an iteration: its module folder, and a marker in the kernel log where its messages start. */
    public Step mark(String iterationDir, String marker) {
        return Step.action("kmod:mark", "mark the kernel log",
                Sh.command("lab_kmod_mark", iterationDir + "/" + RunLayout.KMOD, marker));
    }

    /**
     * Setup: read the patch point (the report's "before"), load the patch module (it checks the expected
     * instructions itself and refuses to load on a mismatch), read the point again ("after").
     */
    public Step loadPatch(PatchSpec patch, String iterationDir, String marker) {
        PreparedModule m = modules.patch().orElseThrow();
        Optional<PatchReading> reading = Optional.ofNullable(modules.readings().get(patch.point()));
        List<String> argv = new ArrayList<>(List.of("lab_patch_load", koPath(m), marker + " patch",
                iterationDir + "/" + RunLayout.KMOD_PATCH_INFO, iterationDir + "/" + RunLayout.KMOD_PATCH_BEFORE,
                iterationDir + "/" + RunLayout.KMOD_PATCH_AFTER));
        argv.addAll(reading.map(r -> r.place().wordsArguments(patch.replace().size())).orElse(List.of("", "0")));
        argv.addAll(List.of("point=" + patch.point(), "where=" + patch.where(), "expect=" + sources(patch.expect()),
                "replace=" + sources(patch.replace()), "--", "symbol=" + patch.symbol(), "offset=" + patch.offset(),
                "expect=" + words(patch.expect()), "replace=" + words(patch.replace())));
        return Step.undoable("kmod:patch", "patch " + patch.where() + " with " + sources(patch.replace())
                + " (point " + patch.point() + ")", Sh.command(argv), "lab_rmmod " + m.name());
    }

    /** Run, after the trace stopped: unload the patch module and check the text is what it was before. */
    public Step unloadPatch(PatchSpec patch, String iterationDir) {
        PreparedModule m = modules.patch().orElseThrow();
        List<String> argv = new ArrayList<>(List.of("lab_patch_unload", m.name(),
                iterationDir + "/" + RunLayout.KMOD_PATCH_RESTORED));
        PatchReading r = modules.readings().get(patch.point());
        if (r != null) {
            argv.addAll(r.place().wordsArguments(r.original().size()));
            argv.addAll(List.of(PatchReading.words(r.original()), patch.where()));
        }
        return Step.action("kmod:unpatch", "unload the patch and check " + patch.where() + " is restored",
                Sh.command(argv));
    }

    /** Run, after the workloads: start the stress workers on {@code cgroupDir}. */
    public Step loadStress(StressSpec stress, String cgroupDir, String marker) {
        PreparedModule m = modules.stress().orElseThrow();
        String command = Sh.command("lab_insmod", koPath(m), marker + " stress", "cgroup=" + cgroupDir,
                "cpus=" + stress.cpus().stream().map(String::valueOf).collect(Collectors.joining(",")),
                "loops=" + stress.loops(), "nodes=" + stress.nodes(), "nr_pages=" + stress.nrPages(),
                "duration_ms=" + stress.duration().map(Duration::toMillis).orElse(0L));
        return Step.undoable("kmod:stress", "start reclaim-stress workers on CPUs " + stress.cpus() + " against "
                + stress.cgroup(), command, "lab_rmmod " + m.name());
    }

    /** Run: wait for the stress workers to finish, keep their counters, unload. */
    public Step finishStress(StressSpec stress, String iterationDir) {
        PreparedModule m = modules.stress().orElseThrow();
        String settings = "settings=cpus " + stress.cpus() + ", " + stress.loops() + " loops x " + stress.nodes()
                + " calls, " + stress.nrPages() + " pages, " + stress.gfp()
                + stress.duration().map(d -> ", at most " + d.toMillis() + " ms").orElse("");
        Duration timeout = stress.duration().map(d -> d.plus(Duration.ofMinutes(2))).orElse(LOOPS_TIMEOUT);
        return Step.action("kmod:stress:finish", "wait for the stress workers to finish, then unload them",
                        Sh.command("lab_stress_finish", m.name(), iterationDir + "/" + RunLayout.KMOD_STRESS, settings))
                .withTimeout(timeout).asLongRunning();
    }

    /** Run, last: the kernel log of this iteration. */
    public Step saveDmesg(String iterationDir, String marker) {
        return Step.action("kmod:dmesg", "keep the kernel log of this iteration",
                Sh.command("lab_kmod_dmesg", marker, iterationDir + "/" + RunLayout.KMOD_DMESG));
    }

    public static List<Fetch> fetches(String iterationDir, String localDir) {
        List<Fetch> fetches = new ArrayList<>();
        for (String file : List.of(RunLayout.KMOD_DMESG, RunLayout.KMOD_STRESS, RunLayout.KMOD_PATCH_INFO,
                RunLayout.KMOD_PATCH_BEFORE, RunLayout.KMOD_PATCH_AFTER, RunLayout.KMOD_PATCH_RESTORED)) {
            fetches.add(new Fetch(iterationDir + "/" + file, localDir + "/" + file, true));
        }
        return fetches;
    }

    /** Module array parameters: {@code 0xd2800000,0xd65f03c0}. */
    private static String words(List<PatchSpec.PlannedInstruction> instructions) {
        return instructions.stream().map(i -> "0x" + i.instruction().hex()).collect(Collectors.joining(","));
    }

    private static String sources(List<PatchSpec.PlannedInstruction> instructions) {
        return instructions.stream().map(PatchSpec.PlannedInstruction::source).collect(Collectors.joining("; "));
    }
}
