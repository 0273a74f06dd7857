package dev.reclaimlab.host;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What kind of machine a host is, and so what lab can do with it. Code that must treat hosts differently asks the
 * kind's methods, or switches over the three kinds, instead of comparing names.
 */
public sealed interface HostKind {

    /** Where kernel modules for this host are built. */
    ModuleBuild moduleBuild();

    /** How lab can restart this host's kernel. */
    Restart restart();

    /** The file the host's serial console is logged to, where lab has one (kernel messages, panics). */
    default Optional<Path> consoleLog() {
        return Optional.empty();
    }

    /** How lab reaches the host over SSH; empty for the machine lab runs on. */
    default Optional<SshAccess> ssh() {
        return Optional.empty();
    }

    /** The machine lab itself runs on, reached without SSH. */
    record Local() implements HostKind {
        @Override
        public ModuleBuild moduleBuild() {
            return ModuleBuild.ON_HOST;
        }

        @Override
        public Restart restart() {
            return Restart.NEVER;
        }
    }

    /**
     * A machine reached over SSH.
     *
     * @param boot how lab boots it into another kernel, where the inventory says so
     */
    record Ssh(SshAccess access, Optional<HostBootSettings> boot) implements HostKind {
        public Ssh(SshAccess access) {
            this(access, Optional.empty());
        }

        @Override
        public ModuleBuild moduleBuild() {
            return ModuleBuild.ON_HOST;
        }

        @Override
        public Restart restart() {
            return Restart.REBOOT;
        }

        /** The console file the inventory names; a console command's log fills only while lab boots the host. */
        @Override
        public Optional<Path> consoleLog() {
            return boot.filter(b -> b.consoleCommand().isEmpty()).flatMap(HostBootSettings::console);
        }

        @Override
        public Optional<SshAccess> ssh() {
            return Optional.of(access);
        }
    }

    /** An emulated ARM64 machine that {@code lab vm} boots under QEMU, reached over SSH on a loopback port. */
    record Vm(SshAccess access, VmSettings settings) implements HostKind {
        @Override
        public ModuleBuild moduleBuild() {
            return ModuleBuild.ON_ORCHESTRATOR;
        }

        @Override
        public Restart restart() {
            return Restart.QEMU;
        }

        @Override
        public Optional<Path> consoleLog() {
            return settings.console();
        }

        @Override
        public Optional<SshAccess> ssh() {
            return Optional.of(access);
        }
    }

    /** Where a host's kernel modules are built. */
    enum ModuleBuild {
        /** By the host itself, against {@code /lib/modules/$(uname -r)/build}. */
        ON_HOST,
        /** On the orchestrator, cross-built against Debian's headers for the guest's kernel, then copied over. */
        ON_ORCHESTRATOR
    }

    /** How lab can bring a host's kernel down and up again (boot control builds on this). */
    enum Restart {
        /** Never: lab runs on this machine. */
        NEVER(false, false),
        /** A reboot from inside, over SSH; a kernel that hangs stays down until someone power-cycles the machine. */
        REBOOT(true, false),
        /** lab stops and starts QEMU, which is a power cycle too. */
        QEMU(true, true);

        private final boolean reboot;
        private final boolean powerCycle;

        Restart(boolean reboot, boolean powerCycle) {
            this.reboot = reboot;
            this.powerCycle = powerCycle;
        }

        public boolean canReboot() {
            return reboot;
        }

        public boolean canPowerCycle() {
            return powerCycle;
        }
    }
}
