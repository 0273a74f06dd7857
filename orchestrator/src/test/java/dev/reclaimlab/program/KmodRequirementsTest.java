package dev.reclaimlab.program;

import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.SshAccess;
import dev.reclaimlab.host.VmSettings;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.testing.Prerequisites;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a host must offer before lab loads modules on it, said before anything is changed there. */
class KmodRequirementsTest {
    static HostSpec vm() {
        SshAccess access = new SshAccess("127.0.0.1", 2222, "root", List.of(), Optional.empty(), Optional.empty(), false);
        return new HostSpec("arm01", new HostKind.Vm(access, VmSettings.defaults()), "/data/lab", Optional.empty());
    }

    static HostFacts without(HostFacts f, Set<String> access, String machine) {
        return new HostFacts(f.hostname(), f.uid(), f.kernelRelease(), machine, f.cmdline(), f.bootId(), f.cpus(),
                f.memTotalBytes(), f.swapTotalBytes(), f.cgroupMode(), f.memoryCgroupVersion(), f.memoryCgroupRoot(),
                f.memoryControllerDelegated(), f.memcgCount(), f.tracefs(), f.tracefsSupported(), f.events(), f.swaps(),
                f.psi(), f.commands(), access, f.shell(), f.panicSeconds());
    }

    static PlanFile playbook(String name) throws Exception {
        return PlanLoader.load(Prerequisites.repoRoot().resolve("playbooks/" + name + ".yaml"));
    }

    @Test
    void aRealHostWithoutItsKernelsBuildTreeIsToldWhichPackageToInstall() throws Exception {
        HostFacts facts = without(StepCompilerTest.facts(2), Set.of(HostFacts.KMSG), "aarch64");
        List<String> unmet = Requirements.unmet(playbook("stress-kubepods"), HostSpec.local(), facts);
        assertTrue(unmet.stream().anyMatch(u -> u.contains("/lib/modules/6.1.0-test/build")
                && u.contains("linux-headers-6.1.0-test") && u.contains("kernel-devel-6.1.0-test")), unmet.toString());
        assertTrue(unmet.contains("command make is missing on host local"), unmet.toString());
    }

    @Test
    void aVmGuestNeedsNoBuildTreeLabBuildsForIt() throws Exception {
        HostFacts facts = without(StepCompilerTest.facts(2), Set.of(HostFacts.KMSG), "aarch64");
        assertEquals(List.of(), Requirements.unmet(playbook("stress-kubepods"), vm(), facts));
    }

    @Test
    void thePatchNeedsArm64KallsymsAndKcore() throws Exception {
        HostFacts facts = without(StepCompilerTest.facts(2), Set.of(), "x86_64");
        List<String> unmet = Requirements.unmet(playbook("patch-shrink-slab"), vm(), facts);
        assertTrue(unmet.stream().anyMatch(u -> u.contains("writes ARM64 instructions") && u.contains("x86_64")), unmet.toString());
        assertTrue(unmet.stream().anyMatch(u -> u.contains("/proc/kallsyms")), unmet.toString());
        assertTrue(unmet.stream().anyMatch(u -> u.contains("/proc/kcore")), unmet.toString());
    }

    @Test
    void aStressCpuTheHostLacksIsNamed() throws Exception {
        HostFacts facts = without(StepCompilerTest.facts(2), Set.of(), "aarch64");
        PlanFile plan = playbook("stress-kubepods");
        // the playbook binds CPU 1; the test host has 2 CPUs, so it passes; one CPU would not
        HostFacts oneCpu = new HostFacts(facts.hostname(), facts.uid(), facts.kernelRelease(), facts.machine(),
                facts.cmdline(), facts.bootId(), 1, facts.memTotalBytes(), facts.swapTotalBytes(), facts.cgroupMode(),
                facts.memoryCgroupVersion(), facts.memoryCgroupRoot(), facts.memoryControllerDelegated(),
                facts.memcgCount(), facts.tracefs(), facts.tracefsSupported(), facts.events(), facts.swaps(), facts.psi(),
                facts.commands(), facts.kernelAccess(), facts.shell(), facts.panicSeconds());
        assertEquals(List.of(), Requirements.unmet(plan, vm(), facts));
        assertTrue(Requirements.unmet(plan, vm(), oneCpu).stream().anyMatch(u -> u.contains("CPU 1")
                && u.contains("has 1 CPUs online")), Requirements.unmet(plan, vm(), oneCpu).toString());
    }
}
