package dev.reclaimlab.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.shell.Sh;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Transport} must do, run against each implementation (a subclass per transport), so a plan behaves
 * the same on {@code local} and over SSH. Everything runs real processes and asserts on what they did.
 */
abstract class TransportContractTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** The transport under test; shared by the tests of one class. */
    abstract Transport transport();

    @Test
    void capturesStdoutStderrAndExitCode() throws IOException {
        ExecResult r = transport().exec("echo out; echo err >&2; exit 3", TIMEOUT);
        assertEquals("out\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertEquals(3, r.exitCode());
        assertFalse(r.ok());
        assertFalse(r.timedOut());

        ExecResult ok = transport().exec("true", TIMEOUT);
        assertTrue(ok.ok());
        assertEquals("", ok.stdout());
        assertEquals("", ok.stderr());
    }

    @Test
    void runsCommandsUnderPosixSh() throws IOException {
        // Multi-line scripts, functions and $0 of sh -c: the same for every login shell the host user may have.
        ExecResult r = transport().exec("f() { echo \"in f: $1\"; }\nf one\nf two", TIMEOUT);
        assertEquals("in f: one\nin f: two\n", r.stdout());
        assertEquals("", r.stderr());
    }

    @Test
    void quotedValuesArriveByteForByteAndExecuteNothing() throws IOException {
        Path pwned = Path.of("/tmp/pwned-" + UUID.randomUUID());
        List<String> values = List.of(
                "it's", "say \"hi\"", "$HOME", "`id`", "a; touch " + pwned, "a | touch " + pwned,
                "line1\nline2\n", "$(touch " + pwned + ")", "*", "~", "-n", "", " lead and trail ", "\\n\\t",
                "ünïcødé ✓", "'\"'\"'", "a && touch " + pwned + " #");
        // One command per value, all in one script (one round trip), each value's output ended by a NUL byte.
        StringBuilder script = new StringBuilder();
        for (String value : values) {
            script.append(Sh.command(List.of("printf", "%s", value))).append("\nprintf '\\000'\n");
        }
        ExecResult r = transport().exec(script.toString(), TIMEOUT);
        assertEquals(0, r.exitCode(), r::stderr);
        assertEquals("", r.stderr());
        assertEquals(values, List.of(r.stdout().split("\u0000", -1)).subList(0, values.size()));
        assertTrue(r.stdout().endsWith("\u0000"));
        assertFalse(Files.exists(pwned), "a quoted value was executed");
    }

    @Test
    void timeoutKillsTheCommandAndEverythingItStarted() throws Exception {
        String marker = "lab-timeout-marker-" + UUID.randomUUID();
        // A background child, a grandchild in a nested shell, and a foreground sleep: all carry the marker as $0.
        String command = "echo started; "
                + "sh -c 'sleep 300' " + marker + "-bg & "
                + "sh -c 'sh -c \"sleep 300\" " + marker + "-grandchild; sleep 300' " + marker + "-child & "
                + "sh -c 'sleep 300' " + marker + "-fg";
        long before = System.nanoTime();
        ExecResult r = transport().exec(command, Duration.ofSeconds(2));
        Duration took = Duration.ofNanos(System.nanoTime() - before);

        assertTrue(r.timedOut());
        assertEquals(ExecResult.TIMED_OUT, r.exitCode());
        assertFalse(r.ok());
        assertEquals("started\n", r.stdout(), "output from before the kill is kept");
        assertTrue(took.compareTo(Duration.ofSeconds(15)) < 0, "gave up promptly: " + took);
        assertTrue(r.duration().compareTo(Duration.ofSeconds(2)) >= 0);
        assertEquals(List.of(), processesWith(marker, Duration.ofSeconds(5)), "processes left running");
        // The transport is still usable afterwards.
        assertEquals("after\n", transport().exec("echo after", TIMEOUT).stdout());
    }

    @Test
    void listenerGetsEachLineAsItArrives() throws IOException {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        ExecResult r = transport().exec("printf 'a\\nb\\r\\n'; echo e1 >&2; printf 'no-newline'",
                TIMEOUT, (stream, line) -> lines.add(stream + ":" + line));
        assertTrue(r.ok());
        assertEquals(List.of("STDOUT:a", "STDOUT:b", "STDOUT:no-newline"),
                lines.stream().filter(l -> l.startsWith("STDOUT")).toList());
        assertEquals(List.of("STDERR:e1"), lines.stream().filter(l -> l.startsWith("STDERR")).toList());
        assertEquals("a\nb\r\nno-newline", r.stdout(), "captured text is not altered by line splitting");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheCommand() throws IOException {
        ExecResult r = transport().exec("seq 1 1000", TIMEOUT, (stream, line) -> {
            throw new IllegalStateException("listener bug");
        });
        assertTrue(r.ok());
        assertTrue(r.stdout().endsWith("999\n1000\n"));
    }

    @Test
    void hugeOutputIsCappedKeepingHeadAndTail() throws IOException {
        // 3 MB of 'x' on stdout and on stderr at the same time: neither may block the other or be kept whole.
        String command = "echo FIRST; head -c 3000000 /dev/zero | tr '\\000' x; echo; echo LAST; "
                + "{ head -c 3000000 /dev/zero | tr '\\000' y; echo; echo ERR-LAST; } >&2";
        ExecResult r = transport().exec(command, TIMEOUT);
        assertTrue(r.ok(), r::outcome);
        assertTrue(r.stdout().startsWith("FIRST\nxxx"));
        assertTrue(r.stdout().endsWith("xxx\nLAST\n"));
        assertTrue(r.stdout().contains("bytes of output dropped"));
        assertTrue(r.stdout().length() < 1_100_000, "stdout kept: " + r.stdout().length());
        assertTrue(r.stderr().endsWith("yyy\nERR-LAST\n"));
        assertTrue(r.stderr().length() < 1_100_000, "stderr kept: " + r.stderr().length());
        long dropped = Long.parseLong(
                r.stdout().replaceAll("(?s).*\\[\\.\\.\\. (\\d+) bytes of output dropped.*", "$1"));
        assertEquals(6 + 3_000_000 + 1 + 5 - 2 * OutputCapture.DEFAULT_LIMIT_HALF, dropped);
    }

    @Test
    void streamsStdinIntoTheCommand() throws IOException {
        byte[] input = randomBytes(3_000_000);
        // Several times: the end of a stream was once lost now and then (sshj's close() does not wait for the window).
        for (int i = 0; i < 5; i++) {
            ExecResult r = transport().execFromStream("wc -c", new ByteArrayInputStream(input), TIMEOUT);
            assertTrue(r.ok(), r::outcome);
            assertEquals(String.valueOf(input.length), r.stdout().trim(), "attempt " + (i + 1));
        }
    }

    @Test
    void streamsBinaryStdoutUnchanged() throws IOException {
        byte[] all = new byte[256 * 20];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Write the bytes with printf octal escapes, so nothing but the transport could alter them.
        StringBuilder escapes = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            escapes.append(String.format("\\%03o", i));
        }
        String command = "i=0; while [ $i -lt 20 ]; do printf " + Sh.quote(escapes.toString()) + "; i=$((i+1)); done; "
                + "echo to-stderr >&2";
        ExecResult r = transport().execToStream(command, out, TIMEOUT);
        assertTrue(r.ok(), r::outcome);
        assertEquals("", r.stdout());
        assertEquals("to-stderr\n", r.stderr());
        assertArrayEquals(all, out.toByteArray());
    }

    @Test
    void aCommandThatIgnoresItsStdinIsNotAnError() throws IOException {
        ExecResult r = transport().execFromStream("echo ignored; exit 4", new ByteArrayInputStream(
                randomBytes(8_000_000)), TIMEOUT);
        assertEquals(4, r.exitCode());
        assertEquals("ignored\n", r.stdout());
    }

    @Test
    void stdinIsEmptyForPlainExec() throws IOException {
        ExecResult r = transport().exec("cat; echo done", TIMEOUT);
        assertEquals("done\n", r.stdout());
    }

    @Test
    void aBackgroundProcessHoldingTheOutputDoesNotHangTheCommand() throws IOException {
        // "monitor &" without redirecting its output: the command is done, though its stdout is not closed yet.
        long start = System.nanoTime();
        ExecResult r = transport().exec("echo hi; sleep 4 & echo bye", TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertTrue(r.ok(), r::outcome);
        assertEquals("hi\nbye\n", r.stdout());
        assertTrue(took.compareTo(Duration.ofMillis(3500)) < 0, "waited for the background process: " + took);
    }

    @Test
    void deathBySignalReportsLikeTheShell() throws IOException {
        ExecResult r = transport().exec("kill -TERM $$", TIMEOUT);
        assertEquals(128 + 15, r.exitCode());
        assertFalse(r.timedOut());
    }

    @Test
    void commandsRunConcurrentlyOnOneTransport() throws Exception {
        // A long command does not hold up a short one: the background drain and the foreground step case.
        Transport t = transport();
        var slow = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return t.exec("sleep 2; echo slow", TIMEOUT);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long start = System.nanoTime();
        ExecResult fast = t.exec("echo fast", TIMEOUT);
        Duration fastTook = Duration.ofNanos(System.nanoTime() - start);
        assertEquals("fast\n", fast.stdout());
        assertFalse(slow.isDone(), "fast command finished only after the slow one (took " + fastTook + ")");
        assertEquals("slow\n", slow.get().stdout());
    }

    /** Live processes whose command line contains {@code marker}, waiting up to {@code patience} for none. */
    static List<String> processesWith(String marker, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        List<String> found;
        do {
            found = ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                    .filter(p -> !isZombie(p.pid()))
                    .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
                    .toList();
            if (found.isEmpty()) {
                return found;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return found;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true; // gone
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new java.util.Random(n).nextBytes(b);
        return b;
    }
}
