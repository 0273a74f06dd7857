package dev.reclaimlab.boot;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How one host is booted into a kernel and command line of lab's choosing, once: the host's default stays as it is,
 * so a power cycle (or a crash of lab) brings the default back. Each host kind has its own (a lab vm host restarts
 * its QEMU; a real host's boot loader is told its next boot only). What a method changes is recorded where it
 * survives the orchestrator before it is changed, so {@code lab cleanup} can boot the default again.
 */
public interface BootMethod {
    /** The method's name in the inventory and in messages: {@code vm}, {@code grub}, ... */
    String name();

    /**
     * Boots {@code target} once and returns when the host has started it and answers again, or throws.
     *
     * @return the kernel release the host should now report, where the method knows it (it resolved the kernel)
     * @throws BootException the host did not come back within its boot timeout, or the target cannot be booted
     */
    Optional<String> bootOnce(BootTarget target, Consumer<String> progress) throws IOException, BootException;

    /** Boots the host's default kernel and command line again, and forgets what lab had booted. */
    void bootDefault(Consumer<String> progress) throws IOException, BootException;

    /**
     * Brings back a host whose kernel went down during an iteration (a panic, a hang) on its default kernel and command
     * line, by a power cycle unless it came back by itself, and forgets what lab had booted there.
     *
     * @param bootId       the boot id the host had when its kernel went down
     * @param rebootsAfter how long after its kernel went down the host reboots by itself (its kernel's
     *                     {@code panic=} time; zero when it already has); empty when it will not: power-cycle it now
     * @throws BootException the host did not come back (it is lost to the run)
     */
    void recover(String bootId, Optional<Duration> rebootsAfter, Consumer<String> progress)
            throws IOException, BootException;

    /** What lab booted that the host still runs, from the method's own record; empty when it runs its default. */
    Optional<BootTarget> labBoot() throws IOException;

    /** The console of the host's current boot, where the host has one (kernel messages from the first line). */
    Optional<Path> console();

    /**
     * Keeps the host's console coming while a run's iterations go on, where the host has one lab can read; the run
     * closes it when the pass is over.
     */
    default Optional<FollowedConsole> followConsole(Consumer<String> progress) {
        return console().map(FollowedConsole::file);
    }

    /** What booting {@code target} does, step by step, for {@code lab plan} (nothing is asked of the host). */
    default List<String> steps(BootTarget target) {
        return List.of(name() + ": boot " + target.label() + " once, then check boot id, uname -r and /proc/cmdline");
    }

    /** What booting the default again does, for {@code lab plan}. */
    default List<String> defaultSteps() {
        return List.of(name() + ": boot the host's default kernel and command line again");
    }
}
