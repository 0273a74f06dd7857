package dev.reclaimlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.testing.HostResidue;
import dev.reclaimlab.testing.LabProcess;
import dev.reclaimlab.testing.Playbooks;
import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.testing.Sshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lab run} through sshj against a real OpenSSH sshd on loopback, driving this machine's real kernel. */
class SshRunIT {
    static Sshd sshd;

    @BeforeAll
    static void start() throws IOException {
        Prerequisites.requireRootWithMemoryCgroups();
        sshd = Sshd.start();
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
    }

    static Path inventory(Path dir, Path knownHosts) throws IOException {
        return inventory(dir, sshd, knownHosts);
    }

    static Path inventory(Path dir, Sshd server, Path knownHosts) throws IOException {
        Path file = dir.resolve("hosts.yaml");
        Files.writeString(file, "hosts:\n"
                + "  lab01:\n"
                + "    address: " + server.host() + "\n"
                + "    port: " + server.port() + "\n"
                + "    user: " + server.user() + "\n"
                + "    identity: " + server.clientKey() + "\n"
                + "    known_hosts: " + knownHosts + "\n");
        return file;
    }

    /**
     * The link to the host is cut for good in the middle of the workloads (its sshd and every connection it serves
     * are killed): with no heartbeat getting through, the host's watchdog undoes the run by itself, and lab ends.
     */
    @Test
    void whenTheLinkIsCutTheHostUndoesTheRunByItself(@TempDir Path dir) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Sshd cut = Sshd.start();
        try {
            Path plan = LabProcess.withWatchdog(Prerequisites.repoRoot().resolve(
                    "orchestrator/src/test/resources/it-plans/long-workload.yaml"), Duration.ofSeconds(5), dir);
            Process lab = LabProcess.start(dir.resolve("lab.log"), "run", plan.toString(), "--inventory",
                    inventory(dir, cut, cut.knownHosts()).toString(), "--host", "lab01", "--runs",
                    dir.resolve("runs").toString());
            LabProcess.waitForSleepers(3);
            Instant cutAt = Instant.now();

            cut.close();

            assertEquals(java.util.List.of(), LabProcess.waitUntilClean(before, Duration.ofSeconds(5 + 30)),
                    "the host is clean within the watchdog's time and 30 s");
            System.out.printf("clean %.1fs after the link was cut (watchdog 5s)%n",
                    Duration.between(cutAt, Instant.now()).toMillis() / 1000.0);
            assertTrue(lab.waitFor(90, TimeUnit.SECONDS), "lab gives up on the host:\n"
                    + Files.readString(dir.resolve("lab.log")));
            assertEquals(4, lab.exitValue(), "residue on the orchestrator's side: it could not tear down itself\n"
                    + Files.readString(dir.resolve("lab.log")));
        } finally {
            cut.close();
        }
    }

    /**
     * Ctrl-C over SSH: the step shell's running workload is killed at once, and the run is still undone on the host
     * before lab exits (the pass must not close the connection the interrupt's teardown uses).
     */
    @Test
    void ctrlCOverSshTearsDownBeforeExiting(@TempDir Path dir) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Path plan = Prerequisites.repoRoot().resolve("orchestrator/src/test/resources/it-plans/long-workload.yaml");
        Process lab = LabProcess.start(dir.resolve("lab.log"), "run", plan.toString(), "--inventory",
                inventory(dir, sshd.knownHosts()).toString(), "--host", "lab01", "--runs", dir.resolve("runs").toString());
        LabProcess.waitForSleepers(3);

        new ProcessBuilder("kill", "-INT", Long.toString(lab.pid())).start().waitFor();

        assertTrue(lab.waitFor(90, TimeUnit.SECONDS), Files.readString(dir.resolve("lab.log")));
        String log = Files.readString(dir.resolve("lab.log"));
        assertEquals(130, lab.exitValue(), log);
        assertTrue(log.contains("teardown complete"), log);
        assertEquals(java.util.List.of(), HostResidue.leftSince(before), "nothing left on the host:\n" + log);
    }

    @Test
    void swappinessPlaybookOverSshGivesTheSeedResultWithoutResidue(@TempDir Path dir) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Path runs = dir.resolve("runs");
        Path plan = Playbooks.swappiness();
        long loginsBefore = sshd.acceptedLogins();

        int exit = LabCommand.execute("run", plan.toString(), "--inventory", inventory(dir, sshd.knownHosts()).toString(),
                "--host", "lab01", "--runs", runs.toString());

        RunResults run = RunResults.single(runs);
        assertEquals(0, exit, run.manifest().toPrettyString());
        JsonNode at100 = run.metrics(run.iteration("swappiness=100", 1));
        JsonNode at0 = run.metrics(run.iteration("swappiness=0", 1));
        assertTrue(at100.get("lru_shrink_inactive").get("anon_events").asLong() > 0, at100.toString());
        assertEquals(0, at0.get("lru_shrink_inactive").get("anon_events").asLong(), at0.toString());
        assertTrue(at0.get("memcg_reclaim").get("count").asLong() > 0, at0.toString());
        assertEquals(java.util.Set.of(), dev.reclaimlab.analysis.MetricsSchemaTest.validate(at100), "metrics.json schema");
        assertTrue(Files.size(run.file("hosts/lab01/swappiness-100/r1/" + RunLayout.TRACE_DAT)) > 0);
        assertEquals(2, sshd.acceptedLogins() - loginsBefore,
                "one SSH connection reused for every step, and one for the heartbeat");
        assertEquals(java.util.List.of(), HostResidue.leftSince(before));
    }

    @Test
    void aChangedHostKeyIsRefusedBeforeAnythingIsTouched(@TempDir Path dir) throws Exception {
        HostResidue.Snapshot before = HostResidue.snapshot();
        Path staleKnownHosts = dir.resolve("known_hosts");
        Files.writeString(staleKnownHosts, Files.readString(sshd.knownHosts()));
        sshd.replaceHostKey();
        try {
            Path runs = dir.resolve("runs");
            int exit = LabCommand.execute("run", Playbooks.swappiness().toString(),
                    "--inventory", inventory(dir, staleKnownHosts).toString(), "--host", "lab01",
                    "--runs", runs.toString(), "--accept-new-host-keys");

            RunResults run = RunResults.single(runs);
            assertEquals(1, exit);
            String problems = run.manifest().get("hosts").get(0).get("problems").toString().toLowerCase();
            assertTrue(problems.contains("changed"), problems);
            assertEquals(0, run.iterations().size(), "no iteration may start");
            assertEquals(java.util.List.of(), HostResidue.leftSince(before), "nothing was set up on the host");
            assertFalse(Files.readString(staleKnownHosts).contains(sshd.knownHostsLine()),
                    "the changed key must not be learned");
        } finally {
            Files.writeString(sshd.knownHosts(), sshd.knownHostsLine() + "\n");
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedUnlessTheUserOptsIn(@TempDir Path dir) throws Exception {
        Path empty = sshd.emptyKnownHosts();
        Path inventory = inventory(dir, empty);
        Path plan = Playbooks.swappiness();

        int refused = LabCommand.execute("plan", plan.toString(), "--inventory", inventory.toString(), "--host", "lab01",
                "--probe");
        assertEquals(1, refused);
        assertTrue(!Files.exists(empty) || Files.readString(empty).isBlank(), "nothing learned without opt-in");

        int accepted = LabCommand.execute("plan", plan.toString(), "--inventory", inventory.toString(), "--host", "lab01",
                "--probe", "--accept-new-host-keys");
        assertEquals(0, accepted);
        assertTrue(Files.readString(empty).contains(sshd.knownHostsLine().split(" ")[2]), "key learned on opt-in");
    }
}
