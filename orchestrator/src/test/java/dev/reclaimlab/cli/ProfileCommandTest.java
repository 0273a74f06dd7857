package dev.reclaimlab.cli;

import dev.reclaimlab.testing.CapturedStreams;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lab profile as a user meets it: an iteration folder, the sampler's own output, a page of its flame graph. */
class ProfileCommandTest {
    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();

    @Test
    void anIterationsProfileIsListedBySystemTimeAndDrawnOnAPage(@TempDir Path iteration) throws Exception {
        Files.createDirectories(iteration.resolve("profile"));
        Files.writeString(iteration.resolve("profile/stacks.folded"), """
                dd;vfs_write;try_charge_memcg;try_to_free_mem_cgroup_pages;shrink_node;shrink_slab 30
                dd;vfs_write;copy_page 10
                dd;[user] 10
                swapper;do_idle;default_idle 50
                """);
        Path page = iteration.resolve("profile.html");

        int exit = LabCommand.execute("profile", iteration.toString(), "--top", "3", "--html", page.toString());

        assertEquals(ExitCodes.OK, exit, streams.stderr());
        String out = streams.stdout();
        assertTrue(out.contains("100 samples: system 40.0%, user 10.0%, idle 50.0%"), out);
        assertTrue(out.matches("(?s).*function \\(by system time\\).*\\nvfs_write\\s+40\\.0%\\s+100\\.0%\\s+0\\.0%\\n.*"),
                "the storm's functions first, not the idle loop's: " + out);
        String html = Files.readString(page);
        assertTrue(html.contains("<svg class=\"flame\"") && html.contains("data-n=\"shrink_slab\""), "drawn");
        assertTrue(html.contains("<code>try_to_free_mem_cgroup_pages</code>"), "listed");
    }

    @Test
    void theSamplersOutputNeedsItsBootsSymbolsAndAFolderWithoutAProfileIsSaidToBeOne(@TempDir Path dir)
            throws Exception {
        Path samples = Files.writeString(dir.resolve("samples.txt"), "# lab-sampler 1 hz=99 cpus=1\n");
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("profile", samples.toString()));
        assertTrue(streams.stderr().contains("name its addresses with --kallsyms FILE"), streams.stderr());
        assertEquals(ExitCodes.BAD_INPUT, LabCommand.execute("profile", dir.toString()));
        assertTrue(streams.stderr().contains("holds no profile"), streams.stderr());
    }
}
