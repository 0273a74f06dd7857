package dev.reclaimlab.cli;

import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.host.HostBootSettings;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.RedfishSettings;
import dev.reclaimlab.host.TransportFactory;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.loader.CommandBootMethod;
import dev.reclaimlab.loader.CommandPower;
import dev.reclaimlab.loader.LoaderBootMethod;
import dev.reclaimlab.loader.PowerControl;
import dev.reclaimlab.power.AuthMode;
import dev.reclaimlab.power.Credentials;
import dev.reclaimlab.power.RedfishPower;
import dev.reclaimlab.power.RedfishTarget;
import dev.reclaimlab.power.ResetOutcome;
import dev.reclaimlab.power.TlsTrust;
import dev.reclaimlab.run.BootMethods;
import dev.reclaimlab.vm.DebianKernelPackages;
import dev.reclaimlab.vm.VmBootMethod;
import dev.reclaimlab.vm.VmException;
import dev.reclaimlab.vm.VmRecord;
import dev.reclaimlab.vm.VmRegistry;
import dev.reclaimlab.vm.Vms;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The boot method of each host lab can boot: hosts with a {@code boot:} section in the inventory through their GRUB,
 * kexec or the lab's own select and reboot commands (with their {@code power_cycle} command or their BMC over Redfish
 * as power control), lab vm hosts by restarting their QEMU with the kernel,
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
            Optional<PowerControl> power = boot.redfish().<PowerControl>map(RedfishPowerControl::new)
                    .or(() -> boot.powerCycle().isEmpty() ? Optional.empty()
                            : Optional.of(new CommandPower(boot.powerCycle())));
            Optional<Path> console = boot.consoleCommand().isEmpty() ? boot.console()
                    : Optional.of(LabHome.fromEnvironment().consoleLog(host.name()));
            if (boot.method().equals("command")) {
                return Optional.of(new CommandBootMethod(host, transports, boot.select(), boot.reboot(),
                        LabHome.fromEnvironment().bootRecord(host.name()), bootTimeout.orElse(boot.timeout()), power,
                        console, boot.consoleCommand()));
            }
            return Optional.of(new LoaderBootMethod(LoaderBootMethod.Once.valueOf(boot.method().toUpperCase(
                    java.util.Locale.ROOT)), host, transports, boot.stateDir(),
                    bootTimeout.orElse(boot.timeout()), power, console, boot.consoleCommand(),
                    Optional.of(HostBootMethods::serverPackage), LabHome.fromEnvironment().bootRecord(host.name())));
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
            return Optional.of(new LoaderBootMethod(LoaderBootMethod.Once.GRUB, host, transports, GRUB_VM_STATE_DIR,
                    bootTimeout.orElse(GRUB_VM_BOOT_TIMEOUT), Optional.of(new VmPower(vms, host.name())),
                    Optional.of(vms.registry().consoleLog(host.name())), List.of(),
                    Optional.of((kernel, machine, into, progress) -> guestKernel(vms, host.name(), kernel, into,
                            progress)), vms.registry().home().bootRecord(host.name())));
        }
        return Optional.of(new VmBootMethod(vms, host.name(), bootTimeout.orElse(Vms.DEFAULT_BOOT_TIMEOUT)));
    }

    /**
     * A kernel package for a server, which it installs itself: a {@code .deb} or {@code .rpm} file here as it is, or a
     * Debian package by name or version downloaded here for the server's architecture.
     */
    private static void serverPackage(String kernel, String machine, Path into, Consumer<String> progress)
            throws IOException, BootException {
        Path file = Path.of(kernel).toAbsolutePath().normalize();
        if ((kernel.endsWith(".deb") || kernel.endsWith(".rpm")) && Files.isRegularFile(file)) {
            Files.createSymbolicLink(into.resolve(file.getFileName()), file);
            return;
        }
        try {
            Path deb = DebianKernelPackages.download(kernel, machine, into);
            progress.accept("downloaded " + deb.getFileName() + " from Debian's archive (" + (Files.size(deb) >> 20)
                    + " MB)");
        } catch (VmException e) {
            throw new BootException(BootException.Kind.REFUSED, "kernel " + kernel + " is neither installed on the "
                    + "host nor a package lab can get: " + e.getMessage(), e);
        }
    }

    /** A Debian kernel from lab vm's cache, made bootable by GRUB VM {@code name}'s boot loader. */
    private static void guestKernel(Vms vms, String name, String kernel, Path into, Consumer<String> progress)
            throws IOException, BootException {
        try {
            String release = new Vms(vms.registry(), progress).kernelFolder(name, kernel, into);
            progress.accept("made Debian's " + release + " bootable for " + name + " (its image, and an initrd with "
                    + "the VM's userland and that kernel's modules)");
        } catch (VmException e) {
            throw new BootException(BootException.Kind.REFUSED, "kernel " + kernel + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server's BMC over Redfish: a forced restart (the OS is known not to answer by the time the ladder gets here),
     * with the password read from the environment only now, so a run that never needs it never asks for it.
     */
    private record RedfishPowerControl(RedfishSettings bmc) implements PowerControl {
        @Override
        public String describe() {
            return "Redfish at " + bmc.url();
        }

        @Override
        public void powerCycle(Consumer<String> progress) throws IOException, BootException {
            String password = System.getenv(bmc.passwordEnv());
            if (password == null || password.isEmpty()) {
                throw new BootException(BootException.Kind.FAILED, "cannot power-cycle through " + bmc.url()
                        + ": the environment variable " + bmc.passwordEnv() + " (the BMC password) is not set");
            }
            RedfishTarget target;
            try {
                target = RedfishTarget.of(URI.create(bmc.url()), new Credentials(bmc.user(), password))
                        .withAuth(bmc.session() ? AuthMode.SESSION : AuthMode.BASIC)
                        .withTls(bmc.insecure() ? TlsTrust.insecure()
                                : bmc.pin().<TlsTrust>map(TlsTrust::pinned).orElse(TlsTrust.trustStore()));
                if (bmc.system().isPresent()) {
                    target = target.withSystemPath(bmc.system().get());
                }
            } catch (IllegalArgumentException e) {
                throw new BootException(BootException.Kind.FAILED, "bad Redfish settings: " + e.getMessage(), e);
            }
            ResetOutcome outcome = new RedfishPower(target).forceRestart();
            progress.accept("power-cycled through Redfish at " + bmc.url() + ": " + outcome.sent() + " on "
                    + outcome.system());
        }
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
