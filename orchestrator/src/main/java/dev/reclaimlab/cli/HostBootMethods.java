package dev.reclaimlab.cli;

import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.host.HostBootSettings;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.TransportFactory;
import dev.reclaimlab.loader.CommandPower;
import dev.reclaimlab.loader.GrubBootMethod;
import dev.reclaimlab.loader.PowerControl;
import dev.reclaimlab.run.BootMethods;
import dev.reclaimlab.vm.VmBootMethod;
import dev.reclaimlab.vm.VmException;
import dev.reclaimlab.vm.VmRecord;
import dev.reclaimlab.vm.VmRegistry;
import dev.reclaimlab.vm.Vms;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The boot method of each host lab can boot: hosts with a {@code boot:} section in the inventory through their GRUB
 * (with their {@code power_cycle} command as power control), lab vm hosts by restarting their QEMU with the kernel,
 * and VMs made with {@code lab vm up --grub} through their own GRUB, as a server is, with their QEMU as power control.
 */
final class HostBootMethods implements BootMethods {
    /** A boot through firmware and GRUB under emulation takes ~15 s; a hang is called after this. */
    static final Duration GRUB_VM_BOOT_TIMEOUT = Duration.ofSeconds(120);
    /** On a GRUB VM, lab's boot journal lives on /boot, which a reboot keeps (its root file system is in memory). */
    static final String GRUB_VM_STATE_DIR = "/boot/reclaim-lab";

    private final TransportFactory transports;
    private final Optional<Duration> bootTimeout;

    HostBootMethods(TransportFactory transports) {
        this(transports, Optional.empty());
    }

    /** @param bootTimeout how long a host may take to answer SSH after a reboot; empty: each method's own */
    HostBootMethods(TransportFactory transports, Optional<Duration> bootTimeout) {
        this.transports = transports;
        this.bootTimeout = bootTimeout;
    }

    @Override
    public Optional<BootMethod> of(HostSpec host) {
        if (host.kind() instanceof HostKind.Ssh ssh && ssh.boot().isPresent()) {
            HostBootSettings boot = ssh.boot().get();
            Optional<PowerControl> power = boot.powerCycle().isEmpty() ? Optional.empty()
                    : Optional.of(new CommandPower(boot.powerCycle()));
            return Optional.of(new GrubBootMethod(host, transports, boot.stateDir(),
                    bootTimeout.orElse(boot.timeout()), power, boot.console()));
        }
        if (!(host.kind() instanceof HostKind.Vm)) {
            return Optional.empty();
        }
        Vms vms = new Vms(VmRegistry.fromEnvironment(), line -> { });
        Optional<VmRecord> record;
        try {
            record = vms.registry().record(host.name());
        } catch (IOException e) {
            record = Optional.empty();
        }
        if (record.isPresent() && record.get().grub()) {
            return Optional.of(new GrubBootMethod(host, transports, GRUB_VM_STATE_DIR,
                    bootTimeout.orElse(GRUB_VM_BOOT_TIMEOUT), Optional.of(new VmPower(vms, host.name())),
                    Optional.of(vms.registry().consoleLog(host.name()))));
        }
        return Optional.of(new VmBootMethod(vms, host.name(), bootTimeout.orElse(Vms.DEFAULT_BOOT_TIMEOUT)));
    }

    /** A lab vm's power: its QEMU process, killed and started again. */
    private record VmPower(Vms vms, String name) implements PowerControl {
        @Override
        public String describe() {
            return "the QEMU process of lab vm " + name;
        }

        @Override
        public void powerCycle(Consumer<String> progress) throws IOException, BootException {
            try {
                new Vms(vms.registry(), progress).powerCycle(name);
            } catch (VmException e) {
                throw new BootException(BootException.Kind.FAILED, "cannot power-cycle " + name + ": "
                        + e.getMessage(), e);
            }
        }
    }
}
