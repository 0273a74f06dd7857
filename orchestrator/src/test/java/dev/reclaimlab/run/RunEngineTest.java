package dev.reclaimlab.run;

import dev.reclaimlab.analysis.ReclaimAnalyzer;
import dev.reclaimlab.artifacts.IterationStatus;
import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.RunStatus;
import dev.reclaimlab.artifacts.TeardownStatus;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.SshAccess;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.plan.PlanLoader;
import dev.reclaimlab.testing.JsonSchemas;
import dev.reclaimlab.testing.RecordingTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run engine against recording hosts: the order steps go out in, what teardown does after each outcome, and how
 * host and run statuses come together. The same plans run for real in LocalRunIT, SshRunIT and VmIT.
 */
class RunEngineTest {
    @TempDir
    Path runs;

    private final Map<String, RecordingTransport> hosts = new LinkedHashMap<>();

    private static PlanFile tinyPlan() throws Exception {
        return PlanLoader.load(Path.of("src/test/resources/plans/tiny-command.yaml"));
    }

    private RecordingTransport host(String name) {
        return hosts.computeIfAbsent(name, RecordingTransport::new);
    }

    private static HostSpec spec(String name) {
        return HostSpec.ssh(name, new SshAccess("127.0.0.1", 22, "root", List.of(), Optional.empty(),
                Optional.empty(), false));
    }

    private RunResult run(String... names) throws Exception {
        RunEngine engine = new RunEngine(runs, spec -> {
            if (spec.name().startsWith("unreachable")) {
                throw new IOException(spec.name() + ": connection refused (is sshd running on port 22?)");
            }
            return host(spec.name());
        }, new ReclaimAnalyzer(), Progress.SILENT);
        RunResult result = engine.run(tinyPlan(), java.util.Arrays.stream(names).map(RunEngineTest::spec).toList());
        assertEquals(Set.of(), JsonSchemas.validate("manifest",
                dev.reclaimlab.local.Json.mapper().readTree(result.manifest().toFile())), "manifest schema");
        return result;
    }

    /**
     * The commands sent to a host, each named by its first lab_ function call (or its first word); heartbeats, which
     * go on their own clock, are left out.
     */
    private List<String> calls(String name) {
        return host(name).commands().stream().filter(c -> !c.endsWith("lab_beat")).map(c -> {
            String body = c.contains("\n") ? c.substring(c.lastIndexOf('\n') + 1) : c;
            return body.contains("lab-facts") ? "facts" : body.contains("lab-download") ? "download"
                    : body.startsWith("lab_lib=") ? "begin" : body.split(" ")[0];
        }).toList();
    }

    @Test
    void everyIterationIsSetUpRunCollectedAndTornDownThenTheRunEnds() throws Exception {
        RunResult result = run("a");

        assertEquals(RunStatus.OK, result.status());
        assertEquals(List.of("facts", "begin",
                "lab_mkdir", "lab_mkcg", "lab_mkcg", "lab_drop_caches", "lab_reap", "download", "lab_teardown",
                "lab_mkdir", "lab_mkcg", "lab_mkcg", "lab_drop_caches", "lab_reap", "download", "lab_teardown",
                "lab_teardown"), calls("a"));
        List<String> commands = host("a").commands().stream().filter(c -> !c.endsWith("lab_beat")).toList();
        assertTrue(commands.get(commands.size() - 1).endsWith("lab_teardown && lab_finish"));
        assertTrue(commands.stream().filter(c -> !c.endsWith("lab_beat")).toList().get(8).endsWith("lab_teardown 00000"),
                "an iteration undoes every entry it made");
        assertTrue(host("a").closed(), "the connection is closed at the end");
        Manifest manifest = result.dir().manifest();
        assertEquals(TeardownStatus.COMPLETE, manifest.hosts().get(0).teardown());
        assertEquals(List.of(IterationStatus.OK, IterationStatus.OK),
                manifest.iterations().stream().map(Manifest.IterationEntry::status).toList());
    }

    @Test
    void aWorkloadThatFailsIsAResultTheOtherIterationsStillRun() throws Exception {
        host("a").answer("lab_reap", 1, "lab: workload hello copy 1 exited 3\n", "");

        RunResult result = run("a");

        assertEquals(RunStatus.FAILED, result.status());
        Manifest manifest = result.dir().manifest();
        assertEquals(List.of(IterationStatus.WORKLOAD_FAILED, IterationStatus.WORKLOAD_FAILED),
                manifest.iterations().stream().map(Manifest.IterationEntry::status).toList());
        assertEquals(TeardownStatus.COMPLETE, manifest.hosts().get(0).teardown());
    }

    @Test
    void aBrokenSetupStopsTheRunButNotItsTeardown() throws Exception {
        host("a").answer("lab_mkcg /sys/fs/cgroup/lab-", 1, "", "lab: cannot make cgroup\n");

        RunResult result = run("a");

        assertEquals(RunStatus.FAILED, result.status());
        List<String> calls = calls("a");
        assertEquals(List.of("facts", "begin", "lab_mkdir", "lab_mkcg", "download", "lab_teardown", "lab_teardown"), calls,
                "the second iteration never starts; both teardowns run");
        Manifest manifest = result.dir().manifest();
        assertEquals(1, manifest.iterations().size());
        assertEquals(IterationStatus.FAILED, manifest.iterations().get(0).status());
        assertTrue(manifest.iterations().get(0).error().contains("lab: cannot make cgroup"),
                manifest.iterations().get(0).error());
    }

    @Test
    void whatTeardownLeavesMakesTheRunResidue() throws Exception {
        host("a").answer("lab_teardown && lab_finish", 1, "", "lab: undo failed: 00002-cgroup_lab-root\n");

        RunResult result = run("a");

        assertEquals(RunStatus.RESIDUE, result.status());
        Manifest.HostEntry entry = result.dir().manifest().hosts().get(0);
        assertEquals(TeardownStatus.INCOMPLETE, entry.teardown());
        assertEquals(List.of("lab: undo failed: 00002-cgroup_lab-root"), entry.problems());
    }

    @Test
    void aHostThatLacksWhatThePlanNeedsIsNeverChanged() throws Exception {
        host("a").answer("lab-facts", 0, RecordingTransport.FACTS_V2.replace("uid=0", "uid=1000"), "");

        RunResult result = run("a");

        assertEquals(RunStatus.UNMET, result.status());
        assertEquals(List.of("facts"), calls("a"), "only the read-only facts probe ran");
        Manifest.HostEntry entry = result.dir().manifest().hosts().get(0);
        assertEquals(TeardownStatus.NOT_NEEDED, entry.teardown());
        assertEquals(List.of("lab needs root on host a (the SSH user has uid 1000)"), entry.problems());
    }

    @Test
    void theRunsStatusIsItsMostSeriousHostsAndEveryHostIsReported() throws Exception {
        host("b").answer("lab-facts", 0, RecordingTransport.FACTS_V2.replace("uid=0", "uid=1000"), "");

        RunResult result = run("a", "b", "unreachable-c");

        assertEquals(RunStatus.FAILED, result.status());
        Map<String, RunStatus> byHost = new LinkedHashMap<>();
        result.dir().manifest().hosts().forEach(h -> byHost.put(h.name(), h.status()));
        assertEquals(Map.of("a", RunStatus.OK, "b", RunStatus.UNMET, "unreachable-c", RunStatus.FAILED), byHost);
        Manifest.HostEntry unreachable = result.dir().manifest().hosts().stream()
                .filter(h -> h.name().equals("unreachable-c")).findFirst().orElseThrow();
        assertEquals(List.of("unreachable-c: connection refused (is sshd running on port 22?)"), unreachable.problems());
        assertFalse(result.dir().resolve("report.html").toFile().exists(), "the engine leaves reports to its caller");
    }
}
