package dev.reclaimlab.run;

import dev.reclaimlab.cli.LabCommand;
import dev.reclaimlab.testing.HostResidue;
import dev.reclaimlab.testing.Prerequisites;
import dev.reclaimlab.testing.TraceText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Plan values full of quotes, $(...), backticks, ; and newlines run on a real host without executing. */
class QuotingIT {

    @BeforeAll
    static void realHost() {
        Prerequisites.requireRootWithMemoryCgroups();
    }

    @Test
    void hostileValuesReachTheHostAsInertWords(@TempDir Path runs) throws Exception {
        deletePwned();
        HostResidue.Snapshot before = HostResidue.snapshot();
        Path plan = Prerequisites.repoRoot().resolve("orchestrator/src/test/resources/it-plans/hostile-values.yaml");

        int exit = LabCommand.execute("run", plan.toString(), "--runs", runs.toString());

        RunResults run = RunResults.single(runs);
        assertEquals(0, exit, run.manifest().toPrettyString());
        assertEquals(List.of(), pwned(), "a value was executed by a shell");
        String dir = run.iterations().get(0).get("dir").asText();
        String printed = Files.readString(run.file(dir + "/workloads/argv-1.log"));
        assertEquals("it's $(touch /tmp/lab-pwned-argv) `touch /tmp/lab-pwned-tick`; touch /tmp/lab-pwned-semi | x\n"
                + "$(touch /tmp/lab-pwned-matrix)'\"; touch /tmp/lab-pwned-quote\n"
                + "line1\nline2\n", printed, "printf got every argument byte for byte");
        String trace = Files.readString(TraceText.of(run.file(
                run.iterations().get(0).get("artifacts").get("trace").asText())));
        assertTrue(trace.contains("variant=marker=$(touch /tmp/lab-pwned-matrix)'\"; touch /tmp/lab-pwned-quote"),
                "the variant value reached the trace marker literally");
        assertEquals(List.of(), HostResidue.leftSince(before));
    }

    private static List<Path> pwned() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/tmp"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("lab-pwned")).toList();
        }
    }

    private static void deletePwned() throws IOException {
        for (Path p : pwned()) {
            Files.delete(p);
        }
    }
}
