package dev.reclaimlab.run;

import dev.reclaimlab.artifacts.Manifest;
import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.boot.BootCheck;
import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.boot.ConsoleWatch;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.TransportFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Boots one host into a plan's kernel and command line and checks what came up: the boot id changed, {@code uname -r}
 * is the release the method resolved, {@code /proc/cmdline} has every added word and none of the removed. A boot
 * that fails or comes up wrong is tried once more, then the target is untestable on this host and the host is booted
 * back to its default, so the next target starts from a known host. Each boot's console is kept in the run directory.
 * A boot is never a measurement: what came up is checked before anything runs on it.
 */
public final class HostBoot {
    /** How often a target is booted before it is called untestable. */
    static final int TRIES = 2;
    private static final Duration OBSERVE_TIMEOUT = Duration.ofSeconds(30);
    private static final String OBSERVE = "cat /proc/sys/kernel/random/boot_id; uname -r; cat /proc/cmdline";

    /** What a boot came to. */
    public sealed interface Outcome {
        Manifest.BootEntry entry();

        /** It came up as asked; the host runs it now. */
        record Booted(BootCheck.Observation seen, Manifest.BootEntry entry) implements Outcome {
            public Manifest.BootSeen asSeen() {
                return new Manifest.BootSeen(seen.release(), seen.cmdline());
            }
        }

        /** It could not be booted, or came up wrong; the host was booted back to its default. */
        record Untestable(String reason, Manifest.BootEntry entry) implements Outcome {}
    }

    private final HostSpec host;
    private final TransportFactory transports;
    private final BootMethod method;
    private final Optional<RunDirectory> runDir;
    private final Progress progress;
    private final List<Manifest.BootEntry> boots = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Held while the host is being booted: Ctrl-C's boot back must not race a boot under way. */
    private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();

    /** @param runDir where each boot's console is kept; empty: not kept ({@code lab boot}, {@code lab cleanup}) */
    public HostBoot(HostSpec host, TransportFactory transports, BootMethod method, Optional<RunDirectory> runDir,
                    Progress progress) {
        this.host = host;
        this.transports = transports;
        this.method = method;
        this.runDir = runDir;
        this.progress = progress;
    }

    public String host() {
        return host.name();
    }

    /** Every boot made so far, in order: what manifest.json lists under the host. */
    public List<Manifest.BootEntry> boots() {
        return List.copyOf(boots);
    }

    /** What lab booted that the host still runs (as its boot method records it); empty when on its default. */
    public Optional<BootTarget> labBoot() throws IOException {
        return method.labBoot();
    }

    /**
     * Boots {@code target} and verifies it. A failure to get back to the default afterwards is thrown: the host is
     * then lost to this run.
     */
    public Outcome boot(BootTarget target) throws IOException {
        return locked(() -> bootLocked(target));
    }

    /** What happens while the host is being booted: an I/O that may fail. */
    @FunctionalInterface
    private interface Booting<T> {
        T run() throws IOException;
    }

    /** Runs {@code booting} holding the lock that Ctrl-C's boot back checks. */
    private <T> T locked(Booting<T> booting) throws IOException {
        lock.lock();
        try {
            return booting.run();
        } finally {
            lock.unlock();
        }
    }

    private Outcome bootLocked(BootTarget target) throws IOException {
        String reason = "";
        for (int attempt = 1; attempt <= TRIES; attempt++) {
            progress.info(host.name(), "booting " + target.label() + " (" + method.name() + ", try " + attempt + " of "
                    + TRIES + ") ...");
            // after a boot that failed the host may be down (a panicked VM has no QEMU): its boot id is unknown then
            String before = attempt == 1 ? observe().bootId()
                    : observeQuietly().map(BootCheck.Observation::bootId).orElse("");
            Optional<String> release;
            try {
                release = method.bootOnce(target, message -> progress.info(host.name(), message));
            } catch (BootException e) {
                reason = e.getMessage() + consoleSays();
                progress.info(host.name(), "the boot failed: " + reason);
                if (e.kind() == BootException.Kind.REFUSED || attempt == TRIES) {
                    return untestable(target, reason, keepConsole(RunLayout.bootConsole(host.name(),
                            boots.size() + 1)));
                }
                keepConsole(RunLayout.bootConsole(host.name(), boots.size() + 1, attempt)); // the retry's is its own
                continue;
            }
            BootCheck.Observation seen = observe();
            String console = keepConsole(RunLayout.bootConsole(host.name(), boots.size() + 1));
            List<String> wrong = BootCheck.mismatches(before, target.expecting(release), seen);
            if (wrong.isEmpty()) {
                Manifest.BootEntry entry = new Manifest.BootEntry(target.label(), target.kernel().orElse(null),
                        Manifest.BootOutcome.BOOTED, seen.release(), seen.cmdline(), seen.bootId(), console, null);
                boots.add(entry);
                progress.info(host.name(), "booted " + seen.release() + " (" + seen.cmdline() + "), boot id "
                        + seen.bootId());
                return new Outcome.Booted(seen, entry);
            }
            reason = "it came up wrong: " + String.join("; ", wrong);
            progress.info(host.name(), "the boot " + reason);
            if (attempt == TRIES) {
                return untestable(target, reason, console);
            }
            keepConsole(RunLayout.bootConsole(host.name(), boots.size() + 1, attempt));
        }
        throw new IllegalStateException("unreachable");
    }

    /** Boots the host's default again if lab booted something else; verifies the boot happened. */
    public void restoreDefault() throws IOException {
        locked(() -> {
            restoreDefaultLocked();
            return null;
        });
    }

    /**
     * Ctrl-C: boots the host's default again once a boot under way on the host's own thread has ended (racing it would
     * leave the host on whichever came last, and a host cut in the middle of a boot may be down), waiting for that at
     * most {@code wait}.
     *
     * @return false when the boot under way outlasted {@code wait} and nothing was done
     */
    public boolean restoreDefaultAfterBoot(Duration wait) throws IOException {
        try {
            if (!lock.tryLock()) {
                progress.info(host.name(), "a boot is under way: waiting for it (at most " + wait.toSeconds()
                        + " s) before booting the default ...");
                if (!lock.tryLock(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            restoreDefaultLocked();
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void restoreDefaultLocked() throws IOException {
        if (labBoot().isEmpty()) {
            return;
        }
        progress.info(host.name(), "booting the host's default kernel and command line again ...");
        String before = observeQuietly().map(BootCheck.Observation::bootId).orElse("");
        try {
            method.bootDefault(message -> progress.info(host.name(), message));
        } catch (BootException e) {
            throw new IOException("cannot boot " + host.name() + " back to its default: " + e.getMessage()
                    + consoleSays(), e);
        }
        BootCheck.Observation seen = observe();
        String console = keepConsole(RunLayout.bootConsole(host.name(), boots.size() + 1));
        if (seen.bootId().equals(before)) {
            throw new IOException(host.name() + " did not reboot to its default (boot id " + before + " unchanged)");
        }
        boots.add(new Manifest.BootEntry(BootTarget.hostDefault().label(), null, Manifest.BootOutcome.DEFAULT,
                seen.release(), seen.cmdline(), seen.bootId(), console, null));
        progress.info(host.name(), "back on its default: " + seen.release() + " (" + seen.cmdline() + ")");
    }

    /**
     * Brings the host back on its default after its kernel went down during an iteration, and checks it answers with a
     * new boot id.
     *
     * @throws IOException the host did not come back: it is lost to this run
     */
    public void recover(String bootId, Optional<Duration> rebootsAfter) throws IOException {
        locked(() -> {
            recoverLocked(bootId, rebootsAfter);
            return null;
        });
    }

    private void recoverLocked(String bootId, Optional<Duration> rebootsAfter) throws IOException {
        progress.info(host.name(), "bringing it back on its default kernel ...");
        try {
            method.recover(bootId, rebootsAfter, message -> progress.info(host.name(), message));
        } catch (BootException e) {
            throw new IOException(host.name() + " did not come back after its kernel went down: " + e.getMessage(), e);
        }
        BootCheck.Observation seen = observe();
        if (seen.bootId().equals(bootId)) {
            throw new IOException(host.name() + " did not reboot after its kernel went down (boot id " + bootId
                    + " unchanged)");
        }
        boots.add(new Manifest.BootEntry(BootTarget.hostDefault().label(), null, Manifest.BootOutcome.RECOVERED,
                seen.release(), seen.cmdline(), seen.bootId(), null, null));
        progress.info(host.name(), "recovered, on its default: " + seen.release() + " (" + seen.cmdline() + ")");
    }

    private Outcome untestable(BootTarget target, String reason, String console) throws IOException {
        boots.add(new Manifest.BootEntry(target.label(), target.kernel().orElse(null), Manifest.BootOutcome.UNTESTABLE,
                null, null, null, console, reason));
        restoreDefault();
        return new Outcome.Untestable(reason, boots.get(boots.size() - 1));
    }

    /** Boot id, release and command line, read over a fresh connection (the old one died with the boot). */
    private BootCheck.Observation observe() throws IOException {
        try (Transport transport = transports.open(host)) {
            ExecResult r = transport.exec(OBSERVE, OBSERVE_TIMEOUT);
            String[] lines = r.stdout().split("\n", 3);
            if (!r.ok() || lines.length < 3) {
                throw new IOException(host.name() + ": cannot read boot id, release and command line ("
                        + r.outcome() + "): " + r.stderr().strip());
            }
            return new BootCheck.Observation(lines[0].strip(), lines[1].strip(), lines[2].strip());
        }
    }

    private Optional<BootCheck.Observation> observeQuietly() {
        try {
            return Optional.of(observe());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Copies the current boot's console into the run directory at {@code relative}; returns that, or null. */
    private String keepConsole(String relative) {
        Optional<Path> console = method.console().filter(Files::isRegularFile);
        if (console.isEmpty() || runDir.isEmpty()) {
            return null;
        }
        try {
            runDir.get().write(relative, Files.readAllBytes(console.get()));
            return relative;
        } catch (IOException e) {
            progress.info(host.name(), "cannot keep the boot's console " + console.get() + ": " + e.getMessage());
            return null;
        }
    }

    /** What the console says went wrong (the worst finding and the last lines), or nothing. */
    private String consoleSays() {
        Optional<Path> console = method.console().filter(Files::isRegularFile);
        if (console.isEmpty()) {
            return "";
        }
        ConsoleWatch watch;
        try {
            watch = ConsoleWatch.ofFile(console.get());
        } catch (IOException e) {
            return "";
        }
        List<String> tail = watch.tail();
        String last = String.join("\n  ", tail.subList(Math.max(0, tail.size() - 10), tail.size()));
        return watch.worst().map(f -> "; the console shows " + f.kind().shown() + " at line " + f.line() + ": "
                + f.text()).orElse("") + (last.isEmpty() ? "" : "; its last lines:\n  " + last);
    }
}
