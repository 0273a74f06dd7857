package dev.reclaimlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.testing.Prerequisites;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The man pages and completion the package ships, made from lab's own command-line model: a page per command that
 * groff reads without a warning, and a bash completion that completes subcommands and options in a real bash.
 */
class DocumentationTest {
    @TempDir
    static Path share;

    @BeforeAll
    static void generate() throws IOException {
        Prerequisites.require("groff");
        Documentation.main(new String[] {share.toString()});
    }

    @Test
    void everyCommandHasAPageThatGroffReadsWithoutAWarning() throws Exception {
        for (picocli.CommandLine command : Documentation.everyCommand(LabCommand.cli())) {
            String name = command.getCommandSpec().qualifiedName("-");
            Path page = share.resolve("man/man1/" + name + ".1.gz");
            assertTrue(Files.isRegularFile(page), name);
            Result check = run(List.of("groff", "-man", "-Tutf8", "-ww", "-z"), gunzip(page));
            assertEquals(List.of(0, ""), List.of(check.exit(), check.err()), name + ": groff says " + check.err());
        }
        Result run = run(List.of("groff", "-man", "-Tutf8"), gunzip(share.resolve("man/man1/lab-run.1.gz")));
        String text = run.out().replaceAll(".\b", ""); // groff's overstrike bold
        assertTrue(text.contains("-p, --param NAME=VALUE[,VALUE...]"), text);
        assertTrue(text.contains("EXIT STATUS") && text.contains("teardown incomplete"), text);
    }

    @Test
    void bashCompletesSubcommandsAndOptions() throws Exception {
        Path completion = share.resolve("bash-completion/completions/lab");
        assertEquals("run report", complete(completion, "lab", "r"));
        assertEquals("--variant", complete(completion, "lab", "run", "--va"));
        assertEquals("up", complete(completion, "lab", "vm", "u"));
    }

    private static String complete(Path completion, String... words) throws Exception {
        String script = "source \"$1\" 2>/dev/null; shift; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); "
                + "COMP_LINE=\"$*\"; _complete_lab 2>/dev/null; echo \"${COMPREPLY[*]}\"";
        List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", script, "bash", completion.toString()));
        command.addAll(List.of(words));
        return run(command, new byte[0]).out().strip();
    }

    private record Result(int exit, String out, String err) {}

    private static Result run(List<String> command, byte[] stdin) throws Exception {
        Process p = new ProcessBuilder(command).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), out, err);
    }

    private static byte[] gunzip(Path file) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            return in.readAllBytes();
        }
    }
}
