package dev.reclaimlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.testing.HostResidue;
import dev.reclaimlab.testing.Playbooks;
import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.testing.Sshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path file = dir.resolve("hosts.yaml");
        Files.writeString(file, "hosts:\n"
                + "  lab01:\n"
                + "    address: " + sshd.host() + "\n"
                + "    port: " + sshd.port() + "\n"
                + "    user: " + sshd.user() + "\n"
                + "    identity: " + sshd.clientKey() + "\n"
                + "    known_hosts: " + knownHosts + "\n");
        return file;
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
        assertTrue(Files.size(run.file("hosts/lab01/swappiness-100/r1/trace.txt")) > 0);
        assertEquals(1, sshd.acceptedLogins() - loginsBefore, "one SSH connection reused for every step");
        assertEquals(java.util.List.of(), HostResidue.leftSince(before));
    }

    @Test
    void aChangedHostKeyIsRefusedBeforeAnythingIsTouched(@TempDir Path dir) throws Exception {
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
            assertFalse(Files.exists(Path.of("/run/lab")), "nothing was set up on the host");
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
