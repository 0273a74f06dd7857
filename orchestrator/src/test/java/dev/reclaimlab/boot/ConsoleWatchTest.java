package dev.reclaimlab.boot;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleWatchTest {
    private static final Path BOOT = Path.of("src/test/resources/console/debian-6.1-arm64-boot.log");
    private static final Path PANIC = Path.of("src/test/resources/console/debian-6.1-arm64-sysrq-panic.log");

    /** A real boot and storm of a lab vm guest (Debian 6.1 arm64): an OOM-free, healthy console says nothing. */
    @Test
    void aHealthyBootSaysNothing() throws Exception {
        ConsoleWatch watch = feedInPieces(Files.readAllBytes(BOOT), 37);
        assertEquals(List.of(), watch.findings());
        assertEquals(Files.readAllLines(BOOT, StandardCharsets.ISO_8859_1).size(), watch.lines());
        List<String> tail = watch.tail();
        assertEquals(Files.readAllLines(BOOT, StandardCharsets.ISO_8859_1).get((int) watch.lines() - 1),
                tail.get(tail.size() - 1));
    }

    /** A real panic of a lab vm guest ({@code echo c > /proc/sysrq-trigger}): its serial console as QEMU wrote it. */
    @Test
    void aRealPanicIsFoundOnItsLineAndTheTailEndsWithTheLastWordsOfTheKernel() throws Exception {
        ConsoleWatch watch = feedInPieces(Files.readAllBytes(PANIC), 64);
        assertEquals(1, watch.findings().size(), String.valueOf(watch.findings()));
        ConsoleWatch.Finding panic = watch.worst().orElseThrow();
        assertEquals(ConsoleWatch.Kind.PANIC, panic.kind());
        assertTrue(panic.text().endsWith("Kernel panic - not syncing: sysrq triggered crash"), panic.text());
        assertEquals(3, panic.line());
        assertTrue(watch.tail().get(watch.tail().size() - 1).endsWith("Memory Limit: none"));
    }

    @Test
    void eachKindOfTroubleIsNamed() {
        assertKind(ConsoleWatch.Kind.PANIC, "[   42.100000] Kernel panic - not syncing: sysrq triggered crash");
        assertKind(ConsoleWatch.Kind.OOPS, "[   41.9] Internal error: Oops: 0000000096000045 [#1] SMP");
        assertKind(ConsoleWatch.Kind.OOPS, "[  100.0] Oops: general protection fault, probably for non-canonical"
                + " address 0xdead000000000122: 0000 [#1] PREEMPT SMP NOPTI");
        assertKind(ConsoleWatch.Kind.BUG, "[  12.0] BUG: kernel NULL pointer dereference, address: 0000000000000008");
        assertKind(ConsoleWatch.Kind.BUG, "[  12.0] kernel BUG at mm/vmscan.c:1234!");
        assertKind(ConsoleWatch.Kind.SOFT_LOCKUP, "[ 300.1] watchdog: BUG: soft lockup - CPU#1 stuck for 23s!"
                + " [dd:4242]");
        assertKind(ConsoleWatch.Kind.HARD_LOCKUP, "[ 300.1] Watchdog detected hard LOCKUP on cpu 3");
        assertKind(ConsoleWatch.Kind.HUNG_TASK, "[ 245.7] INFO: task kworker/u4:2:87 blocked for more than 122"
                + " seconds.");
        assertKind(ConsoleWatch.Kind.RCU_STALL, "[ 61.2] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:");
        assertKind(ConsoleWatch.Kind.RCU_STALL, "[ 61.2] rcu: INFO: rcu_preempt self-detected stall on CPU");
        for (String harmless : List.of("[ 0.0] Kernel command line: console=ttyAMA0 panic=-1",
                "[ 3.1] Memory cgroup out of memory: Killed process 512 (dd)", "debugging BUGS.md",
                "[ 9.0] Oopsie is not a kernel word", "[ 1.0] rcu: Hierarchical SRCU implementation.")) {
            assertEquals(Optional.empty(), ConsoleWatch.classify(harmless), harmless);
        }
    }

    @Test
    void aPanicInTheMiddleOfAStormIsFoundAndTheWorstComesFirst() {
        ConsoleWatch watch = new ConsoleWatch();
        String console = """
                [  20.0] INFO: task dd:301 blocked for more than 120 seconds.
                [  21.0] Internal error: Oops: 0000000096000045 [#1] SMP
                [  21.1] Kernel panic - not syncing: Oops: Fatal exception
                [  21.2] SMP: stopping secondary CPUs""";
        byte[] bytes = console.getBytes(StandardCharsets.ISO_8859_1);
        watch.accept(bytes, 0, bytes.length, 0);
        watch.finish(); // the last line had no newline: a panicking console often stops mid-line
        assertEquals(3, watch.findings().size());
        assertEquals(ConsoleWatch.Kind.PANIC, watch.worst().orElseThrow().kind());
        assertEquals(3, watch.worst().orElseThrow().line());
        assertTrue(watch.worst().orElseThrow().kind().fatal());
        assertEquals(4, watch.lines());
    }

    @Test
    void endlessOutputStaysBounded() {
        ConsoleWatch watch = new ConsoleWatch();
        byte[] longLine = new byte[3 * ConsoleWatch.MAX_LINE];
        java.util.Arrays.fill(longLine, (byte) 'x');
        watch.accept(longLine, 0, longLine.length, 0);
        watch.accept(new byte[] {'\n'}, 0, 1, 0);
        assertTrue(watch.tail().get(0).endsWith(" [cut]"));
        assertEquals(ConsoleWatch.MAX_LINE + " [cut]".length(), watch.tail().get(0).length());
        byte[] bug = "BUG: soft lockup - CPU#0 stuck for 22s! [x:1]\n".getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < 500; i++) {
            watch.accept(bug, 0, bug.length, 0);
        }
        assertEquals(ConsoleWatch.MAX_FINDINGS, watch.findings().size());
        assertEquals(500 - ConsoleWatch.MAX_FINDINGS, watch.findingsLeftOut());
        assertEquals(ConsoleWatch.TAIL_LINES, watch.tail().size());
    }

    @Test
    void silenceIsMeasuredFromTheLastByte() {
        ConsoleWatch watch = new ConsoleWatch();
        assertEquals(Optional.empty(), watch.silentFor(5_000_000_000L));
        watch.accept(new byte[] {'a'}, 0, 1, 1_000_000_000L);
        assertEquals(Optional.of(Duration.ofSeconds(4)), watch.silentFor(5_000_000_000L));
    }

    private static void assertKind(ConsoleWatch.Kind kind, String line) {
        assertEquals(Optional.of(kind), ConsoleWatch.classify(line), line);
    }

    private static ConsoleWatch feedInPieces(byte[] bytes, int piece) {
        ConsoleWatch watch = new ConsoleWatch();
        for (int i = 0; i < bytes.length; i += piece) {
            watch.accept(bytes, i, Math.min(piece, bytes.length - i), i);
        }
        watch.finish();
        return watch;
    }
}
