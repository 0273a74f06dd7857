package dev.reclaimlab.loader;

import dev.reclaimlab.boot.BootConsole;
import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.boot.ConsoleWatch;
import dev.reclaimlab.boot.FollowedConsole;
import dev.reclaimlab.host.BootId;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.TransportFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A real host's reboot, watched: the {@link RebootLadder} (reboot, wait for a new boot id, power control, lost) with
 * the host's serial console read for each boot. What the boot methods of real hosts share, however they arm the next
 * boot (GRUB's next_entry, kexec, the lab's own hooks): a panic on the console or a power cycle makes the boot a
 * failure, with the console of that boot kept.
 */
final class WatchedReboot {
    private final RebootLadder ladder;
    private final BootConsole console;
    private final Optional<ConsoleCommand> consoleCommand;
    private long consoleAtPowerCycle = -1;
    /** A run follows the console (its command runs through the iterations): a boot must not stop it. */
    private boolean following;

    /**
     * @param power          how the host is power-cycled, where it can be; the method may wrap its own step around it
     * @param consoleLog     the host's serial console as a growing file, where it has one (a lab vm's console.log)
     * @param consoleCommand a command that prints the console ({@code ipmitool ... sol activate}), run while the host
     *                       boots with its output appended to {@code consoleLog}; empty when the file fills by itself
     */
    WatchedReboot(HostSpec host, TransportFactory transports, Duration bootTimeout, Optional<PowerControl> power,
                  Optional<Path> consoleLog, List<String> consoleCommand) {
        if (!consoleCommand.isEmpty() && consoleLog.isEmpty()) {
            throw new IllegalArgumentException("a console command needs the file it writes to");
        }
        this.console = new BootConsole(consoleLog, host.name());
        this.consoleCommand = consoleCommand.isEmpty() ? Optional.empty()
                : Optional.of(new ConsoleCommand(consoleCommand, consoleLog.get()));
        // the console up to a power cycle is the hung boot's; what follows is the default's coming back
        this.ladder = new RebootLadder(host, transports, bootTimeout, power.map(p -> new PowerControl() {
            @Override
            public String describe() {
                return p.describe();
            }

            @Override
            public void powerCycle(Consumer<String> progress) throws IOException, BootException {
                consoleAtPowerCycle = console.mark();
                p.powerCycle(progress);
            }
        }));
    }

    Duration bootTimeout() {
        return ladder.bootTimeout();
    }

    /**
     * Reboots the host into the boot that was armed for {@code release} and returns once it answers with a new boot id.
     *
     * @throws BootException FAILED when the kernel panicked on the console or hung until a power cycle brought the
     *                       default back; or the host is lost
     */
    void into(Transport transport, String bootIdBefore, RebootLadder.Start start, String release,
              Consumer<String> progress) throws IOException, BootException {
        try {
            startConsole(progress);
            long mark = console.mark();
            consoleAtPowerCycle = -1;
            RebootLadder.Back back = ladder.reboot(transport, bootIdBefore, start, progress);
            console.slice(mark, back.powerCycled() ? consoleAtPowerCycle : Long.MAX_VALUE);
            Optional<ConsoleWatch.Finding> fatal = console.worst().filter(f -> f.kind().fatal());
            if (fatal.isPresent()) {
                // what the console said after the panic (and its trace) is the default coming back
                console.cutAfterPanic(fatal.get().line());
                throw new BootException(BootException.Kind.FAILED, "the kernel panicked while booting (console line "
                        + fatal.get().line() + "), and the host came back on its default");
            }
            if (back.powerCycled()) {
                throw new BootException(BootException.Kind.FAILED, "the host hung: no SSH answer within "
                        + ladder.bootTimeout().toSeconds() + " s of the reboot into " + release
                        + "; a power cycle brought it back on its default");
            }
        } finally {
            stopConsole();
        }
    }

    /** Reboots the host into its default (nothing is armed any more) and waits for it, keeping that boot's console. */
    void intoDefault(Transport transport, String bootIdBefore, RebootLadder.Start start, Consumer<String> progress)
            throws IOException, BootException {
        try {
            startConsole(progress);
            long mark = console.mark();
            ladder.reboot(transport, bootIdBefore, start, progress);
            console.slice(mark, Long.MAX_VALUE);
        } finally {
            stopConsole();
        }
    }

    /**
     * Waits for a host whose kernel went down to come back by itself (when its kernel reboots after a panic), else
     * power-cycles it, until it answers with a boot id other than {@code bootId}.
     */
    void awaitRecovery(String bootId, Optional<Duration> rebootsAfter, Consumer<String> progress)
            throws BootException, IOException {
        long started = System.nanoTime();
        Optional<String> back = BootId.readQuietly(ladder.transports(), ladder.host()).filter(id -> !id.equals(bootId));
        if (back.isEmpty() && rebootsAfter.isPresent()) {
            progress.accept("waiting up to " + rebootsAfter.get().plus(ladder.bootTimeout()).toSeconds() + " s for "
                    + ladder.host().name() + " to reboot by itself ...");
            back = ladder.awaitNewBootId(bootId, rebootsAfter.get().plus(ladder.bootTimeout()));
        }
        if (back.isEmpty()) {
            ladder.powerCycle(bootId, started, rebootsAfter.isPresent() ? "it did not come back by itself"
                    : "it is down and nothing reboots it by itself (a hang, or kernel.panic = 0)", progress);
        }
    }

    /** For {@code lab plan}: how the host is waited for after a reboot, and what happens when it does not answer. */
    String waitStep() {
        return "wait up to " + ladder.bootTimeout().toSeconds() + " s for SSH with a new boot id"
                + ladder.powerDescription().map(p -> "; then power-cycle it (" + p + ") and wait again").orElse("")
                + "; then the host is lost";
    }

    /** The console of the host's last boot, where it has one. */
    Optional<Path> lastBoot() {
        return console.lastBoot();
    }

    /** Keeps the console coming through a run's iterations (its command running), where the host has one. */
    Optional<FollowedConsole> follow(Consumer<String> progress) {
        Optional<Path> log = console.log();
        if (log.isEmpty()) {
            return Optional.empty();
        }
        startConsole(progress);
        following = true;
        return Optional.of(new FollowedConsole() {
            @Override
            public Path log() {
                return log.get();
            }

            @Override
            public void close() {
                following = false;
                consoleCommand.ifPresent(ConsoleCommand::stop);
            }
        });
    }

    /** Stops the console command after a boot, unless a run follows the console through its iterations. */
    private void stopConsole() {
        if (!following) {
            consoleCommand.ifPresent(ConsoleCommand::stop);
        }
    }

    /** Starts the console command, if the host has one; a boot without its console still happens. */
    private void startConsole(Consumer<String> progress) {
        if (consoleCommand.isEmpty()) {
            return;
        }
        try {
            consoleCommand.get().start();
        } catch (IOException e) {
            progress.accept("cannot start the console command (" + e.getMessage() + "); booting without a console");
        }
    }
}
