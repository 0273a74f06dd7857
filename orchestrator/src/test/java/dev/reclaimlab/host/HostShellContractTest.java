package dev.reclaimlab.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link HostShell} must do on every transport that has one: each command's own exit code, stdout and stderr,
 * chains that stop at a failure, timeouts that kill the command's whole tree and leave the shell working. Real
 * processes, asserted on what they did (files, processes left).
 */
abstract class HostShellContractTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    abstract Transport transport();

    private HostShell shell;

    @BeforeEach
    void open() throws IOException {
        shell = transport().openShell("greet() { echo \"hello $1\"; }; LAB_X=preamble").orElseThrow();
    }

    @AfterEach
    void close() {
        shell.close();
    }

    @Test
    void eachCommandHasItsOwnOutputAndExitCode() throws IOException {
        ExecResult first = shell.run("echo out; echo err >&2; exit 3", TIMEOUT, OutputListener.NONE);
        ExecResult second = shell.run("printf 'no newline'; printf 'x\\n\\n' >&2", TIMEOUT, OutputListener.NONE);
        ExecResult third = shell.run("true", TIMEOUT, OutputListener.NONE);

        assertEquals(List.of(3, "out\n", "err\n"), List.of(first.exitCode(), first.stdout(), first.stderr()));
        assertEquals(List.of(0, "no newline", "x\n\n"), List.of(second.exitCode(), second.stdout(), second.stderr()));
        assertEquals(List.of(0, "", ""), List.of(third.exitCode(), third.stdout(), third.stderr()));
    }

    @Test
    void commandsSeeThePreambleButNotEachOthersState() throws IOException {
        assertEquals("hello lab\npreamble\n", shell.run("greet lab; echo $LAB_X", TIMEOUT, OutputListener.NONE).stdout());
        shell.run("cd /; LAB_X=changed; exit 0", TIMEOUT, OutputListener.NONE);
        ExecResult after = shell.run("echo \"$LAB_X $(pwd)\"", TIMEOUT, OutputListener.NONE);
        assertFalse(after.stdout().startsWith("changed"), after.stdout());
        assertTrue(after.stdout().startsWith("preamble "), after.stdout());
    }

    @Test
    void aCommandCannotReadTheCommandsAfterItOrFakeAFrame() throws IOException {
        HostShell.Pending reader = shell.submit("cat; echo \"read $?\"", TIMEOUT, OutputListener.NONE,
                HostShell.Mode.ALWAYS, false);
        HostShell.Pending next = shell.submit("echo second", TIMEOUT, OutputListener.NONE, HostShell.Mode.CHAINED,
                false);
        ExecResult faker = shell.run("printf '\\nlab-shell-0000 done 1 0\\nstill mine\\n'", TIMEOUT,
                OutputListener.NONE);

        assertEquals("read 0\n", reader.await().orElseThrow().stdout(), "stdin is empty, not the command stream");
        assertEquals("second\n", next.await().orElseThrow().stdout());
        assertEquals("\nlab-shell-0000 done 1 0\nstill mine\n", faker.stdout());
    }

    @Test
    void aFailedCommandSkipsTheChainedOnesAfterItUnlessItIsTolerated() throws IOException {
        Path marker = Files.createTempFile("lab-shell-chain", ".txt");
        String append = "echo %s >> " + marker;
        List<HostShell.Pending> batch = new ArrayList<>();
        batch.add(shell.submit(String.format(append, "a"), TIMEOUT, OutputListener.NONE, HostShell.Mode.ALWAYS, false));
        batch.add(shell.submit("exit 4", TIMEOUT, OutputListener.NONE, HostShell.Mode.CHAINED, true));
        batch.add(shell.submit(String.format(append, "b"), TIMEOUT, OutputListener.NONE, HostShell.Mode.CHAINED,
                false));
        batch.add(shell.submit("exit 5", TIMEOUT, OutputListener.NONE, HostShell.Mode.CHAINED, false));
        batch.add(shell.submit(String.format(append, "never"), TIMEOUT, OutputListener.NONE,
                HostShell.Mode.CHAINED, true));
        batch.add(shell.submit(String.format(append, "c"), TIMEOUT, OutputListener.NONE, HostShell.Mode.ALWAYS,
                false));
        List<Optional<Integer>> exits = new ArrayList<>();
        for (HostShell.Pending p : batch) {
            exits.add(p.await().map(ExecResult::exitCode));
        }

        assertEquals(List.of(Optional.of(0), Optional.of(4), Optional.of(0), Optional.of(5), Optional.empty(),
                Optional.of(0)), exits);
        assertEquals("a\nb\nc\n", Files.readString(marker), "what ran on the host");
        Files.delete(marker);
    }

    @Test
    void aCommandPastItsTimeoutIsKilledWithWhatItStartedAndTheShellGoesOn() throws Exception {
        String tag = "lab-shell-timeout-" + UUID.randomUUID();
        ExecResult late = shell.run("sh -c 'sleep 300; : " + tag + "' & sh -c 'sleep 300; : " + tag + "'; wait",
                Duration.ofSeconds(1), OutputListener.NONE);

        assertTrue(late.timedOut());
        assertEquals(ExecResult.TIMED_OUT, late.exitCode());
        assertEquals("", transport().exec("pgrep -f " + unmatchedBySelf(tag) + " || true", TIMEOUT).stdout(), "nothing left running");
        assertEquals("alive\n", shell.run("echo alive", TIMEOUT, OutputListener.NONE).stdout());
    }

    @Test
    void theTimeLimitOfABatchedCommandStartsWhenTheOneBeforeItEnds() throws IOException {
        HostShell.Pending slow = shell.submit("sleep 2", TIMEOUT, OutputListener.NONE, HostShell.Mode.ALWAYS, false);
        HostShell.Pending quick = shell.submit("sleep 0.2", Duration.ofSeconds(1), OutputListener.NONE,
                HostShell.Mode.CHAINED, false);

        assertTrue(slow.await().orElseThrow().ok());
        ExecResult result = quick.await().orElseThrow();
        assertTrue(result.ok(), "waiting behind the slow one is not its own time: " + result);
        assertTrue(result.duration().compareTo(Duration.ofSeconds(1)) < 0, result.toString());
    }

    @Test
    void linesReachTheListenerAsTheyCome() throws IOException {
        List<String> lines = new CopyOnWriteArrayList<>();
        ExecResult r = shell.run("echo one; echo two >&2; printf three", TIMEOUT,
                (stream, line) -> lines.add(stream + ":" + line));
        assertEquals(List.of("STDOUT:one", "STDOUT:three"), lines.stream().filter(l -> l.startsWith("STDOUT")).toList());
        assertEquals(List.of("STDERR:two"), lines.stream().filter(l -> l.startsWith("STDERR")).toList());
        assertTrue(r.ok());
    }

    @Test
    void closingKillsTheRunningCommandAndFailsTheOnesNotYetAwaited() throws Exception {
        String tag = "lab-shell-close-" + UUID.randomUUID();
        HostShell.Pending running = shell.submit("sh -c 'sleep 300; : " + tag + "'", TIMEOUT, OutputListener.NONE,
                HostShell.Mode.ALWAYS, false);
        HostShell.Pending queued = shell.submit("echo queued", TIMEOUT, OutputListener.NONE, HostShell.Mode.CHAINED,
                false);
        Thread.sleep(500);
        shell.close();

        assertThrows(IOException.class, running::await);
        assertThrows(IOException.class, queued::await);
        assertFalse(shell.usable());
        assertEquals("", transport().exec("sleep 0.5; pgrep -f " + unmatchedBySelf(tag) + " || true", TIMEOUT).stdout());
    }

    @Test
    void aBrokenPreambleIsAnError() throws IOException {
        HostShell broken = transport().openShell("false").orElseThrow();
        IOException e = assertThrows(IOException.class, () -> broken.run("true", TIMEOUT, OutputListener.NONE));
        assertTrue(e.getMessage().contains("preamble failed (exit 1)"), e.getMessage());
        broken.close();
    }

    /** A pgrep pattern for {@code tag} that the shell running pgrep, whose command line holds it, does not match. */
    private static String unmatchedBySelf(String tag) {
        return "'[" + tag.charAt(0) + "]" + tag.substring(1) + "'";
    }
}
