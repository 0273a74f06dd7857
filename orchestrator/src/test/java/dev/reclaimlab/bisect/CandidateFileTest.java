package dev.reclaimlab.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.yaml.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandidateFileTest {
    @TempDir
    Path dir;

    @Test
    void plainKernelsAndKernelsWithTheirOwnWords() throws Exception {
        Path file = dir.resolve("candidates.yaml");
        Files.writeString(file, """
                - 6.1.0-44
                - kernel: 6.1.0-45
                  cmdline: {add: [cgroup.memory=nokmem], remove: [quiet]}
                - /srv/kernels/my-build
                """);
        List<Candidate> list = CandidateFile.load(file);
        assertEquals(3, list.size());
        assertEquals(Candidate.kernel("6.1.0-44"), list.get(0));
        assertEquals(List.of("cgroup.memory=nokmem"), list.get(1).add());
        assertEquals("6.1.0-45 +cgroup.memory=nokmem -quiet", list.get(1).label());
        // the plan's own words stay, the candidate's are added, a word the candidate removes goes
        BootTarget plan = new BootTarget(Optional.of("ignored"), List.of("quiet", "lab.it=1"), List.of());
        BootTarget booted = list.get(1).target(plan);
        assertEquals(Optional.of("6.1.0-45"), booted.kernel());
        assertEquals(List.of("lab.it=1", "cgroup.memory=nokmem"), booted.add());
        assertEquals(List.of("quiet"), booted.remove());
    }

    @Test
    void mistakesAreReportedWithTheirPlace() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                - 6.1.0-44
                - kernel: "6.1.0-45; reboot"
                - kernal: 6.1.0-46
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> CandidateFile.load(file));
        assertTrue(e.getMessage().contains("bad.yaml:2:"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.yaml:3:"), e.getMessage());
        assertTrue(e.getMessage().contains("kernal"), e.getMessage());
    }

    @Test
    void oneCandidateIsNotABisect() throws Exception {
        Path file = dir.resolve("one.yaml");
        Files.writeString(file, "- 6.1.0-44\n");
        ConfigException e = assertThrows(ConfigException.class, () -> CandidateFile.load(file));
        assertTrue(e.getMessage().contains("at least two candidates"), e.getMessage());
    }
}
