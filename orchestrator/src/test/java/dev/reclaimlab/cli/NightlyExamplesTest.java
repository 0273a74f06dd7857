package dev.reclaimlab.cli;

import dev.reclaimlab.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's ways to run lab nightly (playbooks/nightly: a systemd service and timer, a GitLab CI job, a Jenkinsfile)
 * hold a {@code lab nightly} command that lab parses with the options NightlyIT drives, and a plan that exists; the
 * timer's calendar is one systemd itself reads.
 */
class NightlyExamplesTest {
    static final Path DIR = Prerequisites.repoRoot().resolve("playbooks/nightly");

    @Test
    void everyExampleRunsACommandLabAccepts() throws Exception {
        for (String file : List.of("lab-nightly.service", "gitlab-ci.yml", "Jenkinsfile")) {
            List<String> args = nightlyArgs(Files.readString(DIR.resolve(file)));
            CommandLine cli = LabCommand.cli();
            CommandLine.ParseResult parsed = cli.parseArgs(args.toArray(String[]::new));
            CommandLine.ParseResult nightly = parsed.subcommand();
            assertEquals("nightly", nightly.commandSpec().name(), file);
            for (String option : List.of("--host", "--kernel", "--repeats", "--bisect-budget", "--notify", "--runs",
                    "--junit")) {
                assertTrue(nightly.hasMatchedOption(option), file + " passes " + option);
            }
            String plan = nightly.matchedPositional(0).getValue().toString().replace("/opt/reclaim-lab/", "");
            assertTrue(Files.isRegularFile(Prerequisites.repoRoot().resolve(plan)), file + ": " + plan + " exists");
            assertEquals("newest:6.1.0-*", nightly.matchedOptionValue("--kernel", ""), file);
        }
    }

    @Test
    void theTimersCalendarIsOneSystemdReads() throws Exception {
        String timer = Files.readString(DIR.resolve("lab-nightly.timer"));
        String calendar = timer.lines().filter(l -> l.startsWith("OnCalendar=")).findFirst().orElseThrow()
                .substring("OnCalendar=".length());
        Process p = new ProcessBuilder(Prerequisites.require("systemd-analyze"), "calendar", calendar)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("01:30:00"), out);
    }

    /** The words after {@code lab nightly} on the example's command line, with the shell's quotes taken off. */
    static List<String> nightlyArgs(String text) {
        String line = text.lines().filter(l -> l.contains("lab nightly ") && l.contains(" --host ") && !l.strip().startsWith("#")
                && !l.strip().startsWith("//")).findFirst().orElseThrow();
        String rest = line.substring(line.indexOf("lab nightly ") + "lab ".length()).replaceAll("'\\s*$", "");
        List<String> words = new ArrayList<>();
        for (String w : rest.trim().split("\\s+")) {
            // what the CI system or systemd puts in for a variable: a URL, as all of them here are
            words.add(w.replaceAll("^\"|\"$", "").replaceAll("\\$\\{?([A-Z_]+)\\}?", "https://example.invalid/$1"));
        }
        return words;
    }
}
