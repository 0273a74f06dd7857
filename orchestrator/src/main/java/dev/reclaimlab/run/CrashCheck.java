package dev.reclaimlab.run;

import dev.reclaimlab.artifacts.IterationStatus;
import dev.reclaimlab.boot.BootConsole;
import dev.reclaimlab.boot.ConsoleWatch;
import dev.reclaimlab.host.BootId;
import dev.reclaimlab.host.HostFacts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.TransportFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells what happened to a host whose connection died in the middle of an iteration. Its kernel crashed: the console
 * shows a panic, or the host answers again with a new boot id (it rebooted, {@code panic=N} or a watchdog). It hung: no
 * SSH answer for {@link #HANG_AFTER} and no panic on the console (a soft lockup or RCU stall it printed is named).
 * Or only the link broke: the host answers with the boot id it had, and the iteration failed the ordinary way.
 *
 * <p>A crash or a hang under a storm is the experiment's result (the symptom a kernel engineer is after), so the
 * iteration records it with the console around it instead of failing the run.
 */
final class CrashCheck {
    /**
     * How long a host may give no SSH answer, after its connection died and with nothing fatal on its console, before
     * it is called hung. The connection's keepalive has already waited about half a minute by then.
     */
    static final Duration HANG_AFTER = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofSeconds(2);

    /**
     * What the host came to.
     *
     * @param status  {@link IterationStatus#CRASHED} or {@link IterationStatus#HUNG}
     * @param reason  in words, with the console line that gave it away
     * @param console the host's console from the iteration's start, cut after a panic's call trace; empty without one
     * @param back    the host answered again by itself (with a new boot id): it needs no power cycle
     */
    record Verdict(IterationStatus status, String reason, Optional<Path> console, boolean back) {
        /**
         * How long after going down the host reboots by itself: at once when it is back already, its kernel's panic
         * time after a panic; empty when nothing will reboot it (a hang, {@code kernel.panic = 0}).
         */
        Optional<Duration> rebootsAfter(Before before) {
            if (back) {
                return Optional.of(Duration.ZERO);
            }
            return status == IterationStatus.CRASHED ? before.rebootsAfterPanic() : Optional.empty();
        }
    }

    /**
     * The host as a pass found it.
     *
     * @param bootId       its boot id: a host that answers with another one has rebooted
     * @param panicSeconds {@code kernel.panic} (see {@link HostFacts#panicSeconds})
     */
    record Before(String bootId, long panicSeconds) {
        /** From the facts read at the pass's start. */
        static Before of(HostFacts facts) {
            return new Before(facts.bootId(), facts.panicSeconds());
        }

        Optional<Duration> rebootsAfterPanic() {
            return panicSeconds == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(Math.max(0, panicSeconds)));
        }
    }

    private final HostSpec host;
    private final TransportFactory transports;
    private final BootConsole console;
    private final Duration hangAfter;
    private final Before before;

    /**
     * @param console the file the host's serial console grows into, where it has one
     * @param before  the host as the pass found it
     */
    CrashCheck(HostSpec host, TransportFactory transports, Optional<Path> console, Duration hangAfter, Before before) {
        this.host = host;
        this.before = before;
        this.transports = transports;
        this.console = new BootConsole(console, host.name());
        this.hangAfter = hangAfter;
    }

    /** Where the host's console is now: what the iteration that starts next makes it print follows. */
    long consoleMark() {
        return console.mark();
    }

    Before before() {
        return before;
    }

    /**
     * Judges the host after its connection died. Waits (polling SSH and the console) until the host answers, the console
     * shows a panic, or {@link #HANG_AFTER} passes.
     *
     * @param consoleMark {@link #consoleMark} at the iteration's start
     * @return empty when the host answers with the boot id it had: it did not go down, only the link did
     */
    Optional<Verdict> judge(long consoleMark) {
        String bootId = before.bootId();
        long deadline = System.nanoTime() + hangAfter.toNanos();
        while (true) {
            Optional<String> now = BootId.readQuietly(transports, host);
            if (now.isPresent() && now.get().equals(bootId)) {
                return Optional.empty();
            }
            console.slice(consoleMark, Long.MAX_VALUE);
            Optional<ConsoleWatch.Finding> worst = console.worst();
            Optional<ConsoleWatch.Finding> fatal = worst.filter(f -> f.kind().fatal());
            fatal.ifPresent(f -> console.cutAfterPanic(f.line()));
            String rebooted = now.map(id -> "the host rebooted (boot id " + bootId + " became " + id + ")")
                    .orElse("");
            if (fatal.isPresent()) {
                return Optional.of(new Verdict(IterationStatus.CRASHED, "the kernel panicked during the iteration"
                        + (rebooted.isEmpty() ? "" : " and " + rebooted) + shows(fatal), console.lastBoot(),
                        now.isPresent()));
            }
            if (now.isPresent()) {
                return Optional.of(new Verdict(IterationStatus.CRASHED, rebooted + " during the iteration"
                        + shows(worst), console.lastBoot(), true));
            }
            if (System.nanoTime() >= deadline) {
                return Optional.of(new Verdict(IterationStatus.HUNG, "the host hung during the iteration: no SSH answer"
                        + " for " + hangAfter.toSeconds() + " s after its connection died, and no panic on "
                        + (console.lastBoot().isPresent() ? "its console" + shows(worst) : "a console (it has none)"),
                        console.lastBoot(), false));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }


    private static String shows(Optional<ConsoleWatch.Finding> finding) {
        return finding.map(f -> "; on the console: " + f.text()).orElse("");
    }
}
