package dev.reclaimlab;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The package graph of lab's own code: data flows one way (plan → steps → transport → artifacts → analysis → report,
 * the command line on top), with no cycles between packages. {@link #ALLOWED} is the map of who may use whom; a
 * new import that breaks it fails here with the offending lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArchitectureTest {
    private static final String ROOT = "dev.reclaimlab";

    /**
     * For each package, the other packages of ours it may import. Leaves come first: they import nothing of ours, so
     * anything may use them.
     */
    static final Map<String, Set<String>> ALLOWED = new LinkedHashMap<>();

    static {
        // leaves: small values and helpers with no knowledge of experiments
        ALLOWED.put("yaml", Set.of());                  // YAML with positions, problems with file:line:column
        ALLOWED.put("shell", Set.of());                 // POSIX sh quoting
        ALLOWED.put("units", Set.of());                 // sizes and durations as plans write them
        ALLOWED.put("boot", Set.of());                  // what a boot must show, and what the console says
        ALLOWED.put("arm64", Set.of());                 // ARM64 instruction encoding
        ALLOWED.put("elf", Set.of());                   // reading ELF files (modules, kcore)
        ALLOWED.put("local", Set.of());                 // the orchestrator's machine: $LAB_HOME, locks, programs, files
        ALLOWED.put("artifacts", Set.of("local"));      // the run directory: its layout and manifest records
        ALLOWED.put("power", Set.of("units"));          // a test host's BMC: Redfish power control
        // what the user writes, and the hosts it runs on
        ALLOWED.put("plan", Set.of("yaml", "units", "arm64", "boot"));
        ALLOWED.put("host", Set.of("yaml", "units", "shell", "local"));
        ALLOWED.put("vm", Set.of("yaml", "units", "shell", "local", "elf", "host", "boot"));
        ALLOWED.put("loader", Set.of("shell", "units", "local", "host", "boot")); // GRUB, reboot ladder
        // plan → steps
        ALLOWED.put("step", Set.of("shell"));
        ALLOWED.put("cgroup", Set.of("shell", "plan", "step", "artifacts"));
        ALLOWED.put("trace", Set.of("shell", "units", "local", "plan", "step", "artifacts"));
        ALLOWED.put("kmod", Set.of("shell", "units", "arm64", "elf", "local", "artifacts", "plan", "host", "vm",
                "step"));
        ALLOWED.put("program", Set.of("shell", "units", "artifacts", "plan", "host", "step", "cgroup", "trace",
                "kmod", "profile"));
        // → transport → artifacts → analysis → report
        ALLOWED.put("analysis", Set.of("artifacts", "trace"));
        ALLOWED.put("profile", Set.of("trace", "local"));         // sampled kernel stacks: folded, counted as shares
        ALLOWED.put("run", Set.of("shell", "units", "local", "artifacts", "plan", "host", "boot", "step", "kmod",
                "program", "trace", "analysis", "profile"));
        ALLOWED.put("report", Set.of("yaml", "units", "local", "artifacts", "plan", "host", "analysis", "profile"));
        // finding the kernel that regressed: runs of the plan, judged against each other
        ALLOWED.put("bisect", Set.of("yaml", "units", "local", "artifacts", "plan", "host", "boot", "vm", "run",
                "report"));
        // the command line, on top of everything
        // the results database: runs indexed per iteration and metric, baselines, tracked regressions, trend pages
        ALLOWED.put("history", Set.of("yaml", "units", "local", "artifacts", "plan", "host", "report"));
        // lab nightly: a night's run judged against its baseline, regressions tracked and told
        ALLOWED.put("nightly", Set.of("yaml", "units", "local", "artifacts", "plan", "host", "boot", "vm", "run",
                "report", "bisect", "history"));
        ALLOWED.put("cli", Set.of("yaml", "shell", "units", "arm64", "elf", "local", "artifacts", "plan", "host",
                "boot", "vm", "loader", "power", "step", "cgroup", "trace", "kmod", "program", "analysis", "profile", "run", "report",
                "bisect", "history", "nightly"));
    }

    private JavaClasses classes;

    @BeforeAll
    void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        List<String> violations = new java.util.ArrayList<>();
        for (Map.Entry<String, Set<String>> entry : ALLOWED.entrySet()) {
            String[] forbidden = ALLOWED.keySet().stream()
                    .filter(other -> !other.equals(entry.getKey()) && !entry.getValue().contains(other))
                    .map(other -> ROOT + "." + other + "..").toArray(String[]::new);
            if (forbidden.length == 0) {
                continue;
            }
            EvaluationResult result = noClasses().that().resideInAPackage(ROOT + "." + entry.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(forbidden)
                    .because(entry.getKey() + " may use only " + new TreeSet<>(entry.getValue()))
                    .allowEmptyShould(true)
                    .evaluate(classes);
            if (result.hasViolation()) {
                violations.add(entry.getKey() + " may use only " + new TreeSet<>(entry.getValue()) + ":\n  "
                        + String.join("\n  ", result.getFailureReport().getDetails()));
            }
        }
        assertEquals("", String.join("\n", violations));
    }

    @Test
    void everyPackageIsPlacedInTheGraph() {
        Set<String> packages = new TreeSet<>();
        classes.forEach(c -> {
            String name = c.getPackageName();
            if (name.startsWith(ROOT + ".")) {
                packages.add(name.substring(ROOT.length() + 1).split("\\.")[0]);
            }
        });
        assertEquals(new TreeSet<>(ALLOWED.keySet()), packages,
                "a new package needs its place in ArchitectureTest.ALLOWED (and a line in the README's Architecture)");
    }

    @Test
    void theRunEngineLeavesReportsToItsCallers() {
        noClasses().that().resideInAPackage(ROOT + ".run..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".report..", ROOT + ".cli..")
                .check(classes);
    }

    @Test
    void theAllowedMapItselfHasNoCycles() {
        for (String start : ALLOWED.keySet()) {
            assertNoPathBack(start, start, List.of(start));
        }
    }

    private void assertNoPathBack(String start, String at, List<String> path) {
        for (String next : ALLOWED.get(at)) {
            if (next.equals(start)) {
                throw new AssertionError("ALLOWED has a cycle: " + String.join(" -> ", path) + " -> " + next);
            }
            if (!path.contains(next)) {
                List<String> longer = new java.util.ArrayList<>(path);
                longer.add(next);
                assertNoPathBack(start, next, longer);
            }
        }
    }
}
