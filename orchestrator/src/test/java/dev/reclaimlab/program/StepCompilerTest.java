package dev.reclaimlab.program;

import dev.reclaimlab.arm64.Instruction;
import dev.reclaimlab.host.CgroupMode;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.kmod.HostModules;
import dev.reclaimlab.kmod.KernelText;
import dev.reclaimlab.kmod.ModulePreparation;
import dev.reclaimlab.kmod.ModuleTemplates;
import dev.reclaimlab.kmod.PatchReading;
import dev.reclaimlab.kmod.PreparedModule;
import dev.reclaimlab.plan.Plan;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.step.Owner;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden command lists: the playbooks compiled for a cgroup v1 (hybrid) host and a cgroup v2 host must produce
 * exactly the commands in src/test/resources/golden. A change to what lab runs on hosts shows up as a diff there;
 * regenerate with {@code -Dgolden.update=true} (the run fails after writing) and review the diff like code.
 */
class StepCompilerTest {
    static final String RUN_ID = "20260101-000000-test";
    static final Owner OWNER = new Owner("orchestrator", 4242, "2026-01-01T00:00:00Z");
    static final Path GOLDEN = Path.of("src/test/resources/golden");

    @ParameterizedTest(name = "{0} on cgroup v{1}")
    @CsvSource({"swappiness, 1", "memcg-storm, 1", "memcg-storm, 2"})
    void playbookCompilesToTheGoldenCommandList(String playbook, int cgroupVersion) throws Exception {
        PlanFile plan = PlanLoader.load(Prerequisites.repoRoot().resolve("playbooks/" + playbook + ".yaml"));
        String printed = print(new StepCompiler(RUN_ID, OWNER).compile(plan, HostSpec.local(), facts(cgroupVersion), "#lib"));
        assertGolden(GOLDEN.resolve(playbook + "-cgroup-v" + cgroupVersion + ".txt"), printed);
    }

    /**
     * The kmod playbooks as for a lab vm guest: modules built on the orchestrator (uploaded), patch points read
     * from the kernel (the block numbers are made up; lab reads them from /proc/kcore).
     */
    @ParameterizedTest(name = "{0} with kernel modules")
    @CsvSource({"stress-kubepods", "patch-shrink-slab"})
    void kmodPlaybookCompilesToTheGoldenCommandList(String playbook) throws Exception {
        PlanFile plan = PlanLoader.load(Prerequisites.repoRoot().resolve("playbooks/" + playbook + ".yaml"));
        HostModules rendered = new ModulePreparation(new ModuleTemplates(), null).render(plan, facts(2));
        Map<String, PatchReading> readings = new LinkedHashMap<>();
        long block = 0x30d2_59d8_0c00L;
        for (Plan p : plan.resolved()) {
            p.kmod().patch().ifPresent(patch -> readings.computeIfAbsent(patch.point(), point -> new PatchReading(patch,
                    new KernelText.Place(patch.symbol(), patch.offset(), 0xffffc34967800000L + readings.size() * 0x1000L,
                            block + readings.size() * 0x400L),
                    List.of(new Instruction(0xaa1e03e9), new Instruction(0xd503201f)))));
        }
        HostModules modules = new HostModules(
                rendered.stress().map(m -> new PreparedModule(m.source(), Optional.of(Path.of("/cache/" + m.source().koName())))),
                rendered.patch().map(m -> new PreparedModule(m.source(), Optional.of(Path.of("/cache/" + m.source().koName())))),
                readings);
        Optional<Path> sampler = plan.resolved().stream().anyMatch(p -> p.profile().isPresent())
                ? Optional.of(Path.of("/cache/lab-sampler")) : Optional.empty();
        String printed = print(new StepCompiler(RUN_ID, OWNER).compile(plan, HostSpec.local(), facts(2), "#lib", modules,
                sampler));
        assertGolden(GOLDEN.resolve(playbook + "-cgroup-v2.txt"), printed);
    }

    @Test
    void everyModuleLoadHasItsUnloadInTheJournalFirst() throws Exception {
        PlanFile plan = PlanLoader.load(Prerequisites.repoRoot().resolve("playbooks/stress-kubepods.yaml"));
        HostModules modules = new ModulePreparation(new ModuleTemplates(), null).render(plan, facts(2));
        HostProgram program = new StepCompiler(RUN_ID, OWNER).compile(plan, HostSpec.local(), facts(2), "#lib", modules, Optional.empty());
        for (IterationProgram iteration : program.iterations()) {
            List<Step> all = new ArrayList<>(iteration.setup());
            all.addAll(iteration.run());
            for (Step step : all) {
                if (step.command().contains("lab_insmod ")) {
                    assertEquals(Optional.of("lab_rmmod lab_reclaim_stress"), step.undo(), step.id());
                }
            }
        }
    }

    @Test
    void everySetupStepThatChangesTheHostCarriesAnUndo() throws Exception {
        PlanFile plan = PlanLoader.load(Prerequisites.repoRoot().resolve("playbooks/memcg-storm.yaml"));
        HostProgram program = new StepCompiler(RUN_ID, OWNER).compile(plan, HostSpec.local(), facts(2), "#lib");
        for (IterationProgram iteration : program.iterations()) {
            for (Step step : iteration.setup()) {
                boolean changesHost = step.command().contains("mkdir ") || step.command().contains("lab_write ")
                        || step.command().contains("swapon");
                if (changesHost && !step.id().equals("trace:formats")) {
                    assertTrue(step.undo().isPresent(), "step " + step.id() + " changes the host without an undo");
                }
            }
        }
    }

    @Test
    void v2ParentsDelegateTheMemoryControllerToTheirChildren() throws Exception {
        PlanFile plan = PlanLoader.load(Prerequisites.repoRoot().resolve("playbooks/memcg-storm.yaml"));
        HostFacts v2WithoutDelegation = facts(2, false);
        HostProgram program = new StepCompiler(RUN_ID, OWNER).compile(plan, HostSpec.local(), v2WithoutDelegation, "#lib");
        List<String> commands = program.iterations().get(0).setup().stream().map(Step::command).toList();
        assertEquals("lab_delegate_memory /sys/fs/cgroup", commands.get(1), commands.toString());
        assertEquals("lab_undelegate_memory /sys/fs/cgroup",
                program.iterations().get(0).setup().get(1).undo().orElseThrow());
        assertTrue(commands.stream().anyMatch(c -> c.startsWith("lab_mkcg /sys/fs/cgroup/lab-" + RUN_ID
                + "/kubepods cgroup.subtree_control +memory ")), commands.toString());
    }

    /**
     * The printed program must equal the golden file. With {@code -Dgolden.update=true} the file is rewritten and the
     * test still fails, so an update is always a reviewed change and never a green build.
     */
    static void assertGolden(Path golden, String printed) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, printed);
            fail("rewrote " + golden + " (-Dgolden.update=true): review the diff, then run the tests without it");
        }
        assertEquals(Files.readString(golden), printed, "commands differ from " + golden);
    }

    /** The ITs run the swappiness experiment in this form on cgroup v2 hosts (testing.Playbooks). */
    @Test
    void theSwappinessExperimentHasACgroupV2FormWithTheGlobalSysctl() throws Exception {
        PlanFile plan = PlanLoader.load(Prerequisites.repoRoot().resolve(
                "orchestrator/src/test/resources/it-plans/swappiness-cgroup-v2.yaml"));

        assertEquals(List.of(), Requirements.unmet(plan, HostSpec.local(), facts(2)));
        HostProgram program = new StepCompiler(RUN_ID, OWNER).compile(plan, HostSpec.local(), facts(2), "#lib");
        assertEquals(List.of("swappiness=100", "swappiness=0"),
                program.iterations().stream().map(i -> i.variant().label()).toList());
        assertTrue(program.iterations().get(1).setup().stream().map(Step::command).anyMatch(
                "lab_sysctl /proc/sys/vm/swappiness sysctl-vm.swappiness 0"::equals));
    }

    static String print(HostProgram program) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgramPrinter.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), program);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static HostFacts facts(int version) {
        return facts(version, true);
    }

    static HostFacts facts(int version, boolean rootDelegates) {
        boolean v1 = version == 1;
        Set<String> events = Set.of("vmscan:mm_vmscan_lru_shrink_inactive", "vmscan:mm_vmscan_memcg_reclaim_begin",
                "vmscan:mm_vmscan_memcg_reclaim_end", "vmscan:mm_shrink_slab_start", "vmscan:mm_shrink_slab_end",
                "vmscan:mm_vmscan_direct_reclaim_begin", "vmscan:mm_vmscan_direct_reclaim_end");
        return new HostFacts("test", 0, "6.1.0-test", v1 ? "x86_64" : "aarch64", "console=ttyS0", "boot", 2,
                1L << 30, 0, v1 ? CgroupMode.HYBRID : CgroupMode.UNIFIED, version,
                Optional.of(v1 ? "/sys/fs/cgroup/memory" : "/sys/fs/cgroup"), !v1 && rootDelegates, 30,
                Optional.of("/sys/kernel/tracing"), true, events, List.of(), true,
                Set.of("dd", "mkswap", "swapon", "swapoff", "setsid", "timeout", "sha256sum", "mkdir", "rmdir", "stat",
                        "insmod", "rmmod", "dmesg", "od"),
                Set.of(HostFacts.KCORE, HostFacts.KALLSYMS, HostFacts.KMSG), "dash", 0);
    }
}
