package dev.reclaimlab.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.artifacts.IterationStatus;
import dev.reclaimlab.boot.BootConsole;
import dev.reclaimlab.host.FactsProbe;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.LocalTransport;
import dev.reclaimlab.host.TransportFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a host whose connection died is judged, against this machine's real boot id (read over a local transport) and
 * console files written the way a serial console fills. The real crashes and hangs are in GrubBootIT.
 */
class CrashCheckTest {
    private static final TransportFactory THIS_MACHINE = spec -> new LocalTransport();
    private static final TransportFactory DOWN = spec -> {
        throw new IOException("connection refused");
    };
    private static final Duration SHORT = Duration.ofSeconds(1);

    @Test
    void aHostThatAnswersWithTheBootIdItHadOnlyLostItsLink(@TempDir Path dir) throws Exception {
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        CrashCheck check = new CrashCheck(HostSpec.local(), THIS_MACHINE, Optional.empty(), SHORT, before(bootId));
        assertEquals(Optional.empty(), check.judge(check.consoleMark()));
    }

    @Test
    void aHostThatAnswersWithANewBootIdCrashedAndIsBackByItself(@TempDir Path dir) throws Exception {
        Path console = Files.writeString(dir.resolve("console.log"), "an earlier iteration's lines\n");
        CrashCheck check = new CrashCheck(HostSpec.local(), THIS_MACHINE, Optional.of(console), SHORT,
                before("a-boot-id-from-before-the-reboot"));
        long mark = check.consoleMark();
        Files.writeString(console, "[  812.1] sysrq: Trigger a crash\n"
                + "[  812.1] Kernel panic - not syncing: sysrq triggered crash\n", StandardOpenOption.APPEND);

        CrashCheck.Verdict verdict = check.judge(mark).orElseThrow();
        assertEquals(IterationStatus.CRASHED, verdict.status());
        assertTrue(verdict.back());
        assertTrue(verdict.reason().startsWith("the kernel panicked during the iteration and the host rebooted (boot id "
                + "a-boot-id-from-before-the-reboot became "), verdict.reason());
        assertTrue(verdict.reason().endsWith("; on the console: [  812.1] Kernel panic - not syncing: sysrq triggered "
                + "crash"), verdict.reason());
        String kept = Files.readString(verdict.console().orElseThrow());
        assertFalse(kept.contains("an earlier iteration"), "only what the console printed since the iteration began");
    }

    @Test
    void aPanicOnTheConsoleOfAHostThatDoesNotAnswerIsACrashCutAfterItsCallTrace(@TempDir Path dir) throws Exception {
        Path console = Files.writeString(dir.resolve("console.log"), "");
        CrashCheck check = new CrashCheck(HostSpec.local(), DOWN, Optional.of(console), Duration.ofMinutes(5),
                before("any"));
        List<String> lines = IntStream.rangeClosed(1, 100).mapToObj(i -> "[ 90.0] trace line " + i).toList();
        Files.writeString(console, "[ 89.9] Kernel panic - not syncing: Out of memory: compulsory panic_on_oom\n"
                + String.join("\n", lines) + "\n");

        long started = System.nanoTime();
        CrashCheck.Verdict verdict = check.judge(0).orElseThrow();
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos(), "a panic is not waited out");
        assertEquals(IterationStatus.CRASHED, verdict.status());
        assertFalse(verdict.back(), "it needs a power cycle");
        assertTrue(verdict.reason().startsWith("the kernel panicked during the iteration; on the console: [ 89.9] "
                + "Kernel panic - not syncing: Out of memory"), verdict.reason());
        List<String> kept = Files.readAllLines(verdict.console().orElseThrow());
        assertEquals(1 + BootConsole.LINES_AFTER_PANIC, kept.size(), "the panic and its call trace, not what followed");
    }

    @Test
    void aHostThatDoesNotAnswerAndPrintsNoPanicHungAndItsLockupIsNamed(@TempDir Path dir) throws Exception {
        Path console = Files.writeString(dir.resolve("console.log"),
                "[ 200.1] watchdog: BUG: soft lockup - CPU#1 stuck for 23s! [dd:4711]\n");
        CrashCheck check = new CrashCheck(HostSpec.local(), DOWN, Optional.of(console), SHORT, before("any"));
        CrashCheck.Verdict verdict = check.judge(0).orElseThrow();
        assertEquals(IterationStatus.HUNG, verdict.status());
        assertTrue(verdict.reason().contains("no SSH answer for 1 s after its connection died, and no panic on its "
                + "console; on the console: [ 200.1] watchdog: BUG: soft lockup - CPU#1 stuck"), verdict.reason());
    }

    @Test
    void aHostWithoutAConsoleThatDoesNotAnswerHung() {
        CrashCheck check = new CrashCheck(HostSpec.local(), DOWN, Optional.empty(), SHORT, before("any"));
        CrashCheck.Verdict verdict = check.judge(check.consoleMark()).orElseThrow();
        assertEquals(IterationStatus.HUNG, verdict.status());
        assertTrue(verdict.reason().endsWith("and no panic on a console (it has none)"), verdict.reason());
        assertEquals(Optional.empty(), verdict.console());
    }

    @Test
    void whetherToWaitForTheHostToRebootItselfFollowsItsKernelsPanicTime() throws Exception {
        HostFacts facts = FactsProbe.gather(new LocalTransport(), Set.of());
        assertEquals(Long.parseLong(Files.readString(Path.of("/proc/sys/kernel/panic")).strip()), facts.panicSeconds());
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip(),
                CrashCheck.Before.of(facts).bootId());

        CrashCheck.Verdict panic = new CrashCheck.Verdict(IterationStatus.CRASHED, "panic", Optional.empty(), false);
        CrashCheck.Verdict hang = new CrashCheck.Verdict(IterationStatus.HUNG, "hang", Optional.empty(), false);
        CrashCheck.Verdict back = new CrashCheck.Verdict(IterationStatus.CRASHED, "rebooted", Optional.empty(), true);
        assertEquals(Optional.of(Duration.ZERO), panic.rebootsAfter(new CrashCheck.Before("b", -1)), "panic=-1");
        assertEquals(Optional.of(Duration.ofSeconds(10)), panic.rebootsAfter(new CrashCheck.Before("b", 10)));
        assertEquals(Optional.empty(), panic.rebootsAfter(new CrashCheck.Before("b", 0)), "panic=0: power-cycle");
        assertEquals(Optional.empty(), hang.rebootsAfter(new CrashCheck.Before("b", 10)), "a hang reboots nothing");
        assertEquals(Optional.of(Duration.ZERO), back.rebootsAfter(new CrashCheck.Before("b", 0)), "it is back");
    }

    private static CrashCheck.Before before(String bootId) {
        return new CrashCheck.Before(bootId, 0);
    }
}
