package dev.reclaimlab.loader;

import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.host.BootId;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.TransportFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reboots a host and waits for it to come back with a new boot id: {@code reboot} over SSH, then, if SSH has not
 * answered with a new boot id within the boot timeout, power control (when the host has one) and the same wait again,
 * and then the host is lost. A host answering with its old boot id has not rebooted yet.
 */
final class RebootLadder {
    /** An ordinary reboot, in the background so the command returns before the connection dies with the host. */
    static final String REBOOT = "sync; (sleep 1; reboot) </dev/null >/dev/null 2>&1 &";
    private static final Duration POLL = Duration.ofSeconds(2);
    private static final Duration COMMAND = Duration.ofSeconds(15);

    /** What starts a reboot: a command over SSH ({@link #overSsh}), or something lab runs itself (a hook). */
    @FunctionalInterface
    interface Start {
        /** Starts the reboot and returns before the host is gone (the connection may die with it). */
        void start(Transport transport) throws IOException;
    }

    /** A reboot started by {@code command} on the host, which must run it in the background so that it returns. */
    static Start overSsh(String command) {
        return transport -> transport.exec(command, COMMAND);
    }

    /** How the host came back. */
    record Back(String bootId, boolean powerCycled, Duration took) {}

    private final HostSpec host;
    private final TransportFactory transports;
    private final Duration bootTimeout;
    private final Optional<PowerControl> power;

    RebootLadder(HostSpec host, TransportFactory transports, Duration bootTimeout, Optional<PowerControl> power) {
        this.host = host;
        this.transports = transports;
        this.bootTimeout = bootTimeout;
        this.power = power;
    }

    HostSpec host() {
        return host;
    }

    TransportFactory transports() {
        return transports;
    }

    Duration bootTimeout() {
        return bootTimeout;
    }

    /** How the host is power-cycled, for messages; empty when it cannot be. */
    Optional<String> powerDescription() {
        return power.map(PowerControl::describe);
    }

    /**
     * Reboots the host through {@code transport} (which the reboot ends) and waits for it.
     *
     * @param bootIdBefore the boot id the host had; a host that answers with it has not rebooted yet
     * @param start        what starts the reboot ({@link #REBOOT} or a kexec over SSH, a hook of the lab's)
     * @throws BootException the host did not come back, even after a power cycle (or has none): it is lost
     */
    Back reboot(Transport transport, String bootIdBefore, Start start, Consumer<String> progress)
            throws IOException, BootException {
        long started = System.nanoTime();
        start.start(transport);
        progress.accept("rebooting " + host.name() + " ...");
        Optional<String> back = awaitNewBootId(bootIdBefore);
        if (back.isPresent()) {
            return new Back(back.get(), false, Duration.ofNanos(System.nanoTime() - started));
        }
        return powerCycle(bootIdBefore, started, "no SSH answer with a new boot id within " + bootTimeout.toSeconds()
                + " s of the reboot", progress);
    }

    /** Power-cycles the host at once (it is known to be stuck) and waits for it. */
    Back powerCycle(String bootIdBefore, long started, String why, Consumer<String> progress)
            throws IOException, BootException {
        if (power.isEmpty()) {
            throw new BootException(BootException.Kind.FAILED, host.name() + " is lost: " + why + ", and it has no "
                    + "power control (power_cycle or redfish in its inventory entry) to reset it");
        }
        progress.accept(why + "; power-cycling " + host.name() + " (" + power.get().describe() + ") ...");
        power.get().powerCycle(progress);
        Optional<String> back = awaitNewBootId(bootIdBefore);
        if (back.isEmpty()) {
            throw new BootException(BootException.Kind.FAILED, host.name() + " is lost: " + why + ", and it did not "
                    + "answer within " + bootTimeout.toSeconds() + " s of a power cycle either");
        }
        return new Back(back.get(), true, Duration.ofNanos(System.nanoTime() - started));
    }

    /** Polls SSH until the host answers with a boot id other than {@code before}, or the boot timeout passes. */
    private Optional<String> awaitNewBootId(String before) {
        return awaitNewBootId(before, bootTimeout);
    }

    /** Polls SSH until the host answers with a boot id other than {@code before}, or {@code timeout} passes. */
    Optional<String> awaitNewBootId(String before, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> now = BootId.readQuietly(transports, host);
            if (now.isPresent() && !now.get().equals(before)) {
                return now;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
