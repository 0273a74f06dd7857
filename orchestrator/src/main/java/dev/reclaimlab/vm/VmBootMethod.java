package dev.reclaimlab.vm;

import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Boot control of a lab vm host: the QEMU process is the machine's power and its boot loader. A boot once restarts
 * QEMU with the target's kernel (and that kernel's modules in the initrd) and command line; the VM's own stay in
 * vm.json, so stopping QEMU is the power cycle that brings them back.
 */
public final class VmBootMethod implements BootMethod {
    private final Vms vms;
    private final String name;
    private final Duration bootTimeout;

    public VmBootMethod(Vms vms, String name, Duration bootTimeout) {
        this.vms = vms;
        this.name = name;
        this.bootTimeout = bootTimeout;
    }

    @Override
    public String name() {
        return "vm";
    }

    @Override
    public Optional<String> bootOnce(BootTarget target, Consumer<String> progress) throws IOException, BootException {
        try {
            new Vms(vms.registry(), progress).bootOnce(name, target, bootTimeout);
            return recorded().map(LabBoot::release);
        } catch (VmException e) {
            throw failure(e);
        }
    }

    @Override
    public void bootDefault(Consumer<String> progress) throws IOException, BootException {
        try {
            new Vms(vms.registry(), progress).bootDefault(name, bootTimeout);
        } catch (VmException e) {
            throw failure(e);
        }
    }

    /** QEMU is the power: it is stopped (a panic has ended it already) and started with the VM's own kernel. */
    @Override
    public void recover(String bootId, Optional<Duration> rebootsAfter, Consumer<String> progress)
            throws IOException, BootException {
        bootDefault(progress);
    }

    @Override
    public Optional<BootTarget> labBoot() throws IOException {
        return recorded().map(LabBoot::target);
    }

    @Override
    public List<String> steps(BootTarget target) {
        return List.of("vm: lab-boot.json in the VM's folder says what lab boots (for lab cleanup); QEMU is stopped "
                        + "and started with " + target.label() + " (words applied to the VM's own command line); "
                        + "wait up to " + bootTimeout.toSeconds() + " s for SSH",
                "check: boot id changed, uname -r, /proc/cmdline; a failed boot is tried once more, then untestable");
    }

    @Override
    public List<String> defaultSteps() {
        return List.of("vm: QEMU stopped and started with the VM's own kernel and command line (vm.json); "
                + "lab-boot.json removed");
    }

    @Override
    public Optional<Path> console() {
        return Optional.of(vms.registry().consoleLog(name));
    }

    /** The VM's lab-boot.json, read once for every question about it. */
    private Optional<LabBoot> recorded() throws IOException {
        try {
            return vms.labBoot(name);
        } catch (VmException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static BootException failure(VmException e) {
        return new BootException(e.kind() == VmException.Kind.BAD_INPUT || e.kind() == VmException.Kind.MISSING
                ? BootException.Kind.REFUSED : BootException.Kind.FAILED, e.getMessage(), e);
    }
}
