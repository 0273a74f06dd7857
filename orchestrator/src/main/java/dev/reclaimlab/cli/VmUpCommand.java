package dev.reclaimlab.cli;

import dev.reclaimlab.host.VmSettings;
import dev.reclaimlab.units.Size;
import dev.reclaimlab.vm.VmException;
import dev.reclaimlab.vm.VmRegistry;
import dev.reclaimlab.vm.Vms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Boot an ARM64 VM and register it as a host: prepares a Debian arm64 kernel, busybox and an SSH "
                + "server from Debian packages (cached), boots qemu-system-aarch64, waits until SSH answers.",
                "Options left out keep what the VM had last time (else the defaults). Running it again for a running "
                        + "VM with the same settings does nothing."})
final class VmUpCommand implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME", description = "The VM's (and host's) name (default: ${DEFAULT-VALUE}).")
    String name = VmCommand.DEFAULT_NAME;

    @Option(names = "--kernel", paramLabel = "ABI",
            description = "Debian arm64 kernel ABI, e.g. 6.1.0-56, or a series, e.g. 6.1 (its newest ABI). "
                    + "Default: the ABI Debian's linux-image-arm64 points at. `lab vm list --kernels` shows them.")
    String kernel;

    @Option(names = "--cpus", paramLabel = "N", description = "Virtual CPUs, 1..8 (default 2).")
    Integer cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "Guest memory, e.g. 1G or 512M (default 1G).")
    String memory;

    @Option(names = "--cmdline", paramLabel = "WORDS",
            description = "Extra kernel command line, e.g. \"cgroup.memory=nokmem\" (default none).")
    String cmdline;

    @Option(names = "--cpu", paramLabel = "MODEL",
            description = "QEMU CPU model (default cortex-a57; `max` emulates pointer authentication and is ~10x "
                    + "slower on kernel-heavy work).")
    String cpu;

    @Option(names = "--disk", paramLabel = "SIZE", description = "Size of a new VM's data disk /data (default 8G; sparse).")
    String disk;

    @Option(names = "--boot-timeout", paramLabel = "SECONDS",
            description = "How long to wait for SSH after QEMU started (default: ${DEFAULT-VALUE}).")
    int bootTimeout = (int) Vms.DEFAULT_BOOT_TIMEOUT.toSeconds();

    @Option(names = "--grub", description = "Make a VM that boots like a server: UEFI firmware, then GRUB from its "
            + "own system disk (Debian's qemu-efi-aarch64 and signed GRUB), so lab boot and plans with a boot "
            + "section use GRUB's one-time boot on it. A VM is made with or without it, once.")
    boolean grub;

    @Option(names = "--install-kernel", paramLabel = "ABI",
            description = "With --grub: another kernel (ABI or series) to install in the VM's /boot besides its "
                    + "default --kernel; repeatable.")
    List<String> installKernels = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!installKernels.isEmpty() && !grub) {
            throw new UserError("--install-kernel needs --grub (a VM without GRUB boots the one kernel QEMU loads)",
                    ExitCodes.BAD_INPUT);
        }
        for (String k : installKernels) {
            if (!VmSettings.KERNEL.matcher(k).matches()) {
                throw new UserError("--install-kernel: not a kernel ABI or series: " + k + " (e.g. 6.12)",
                        ExitCodes.BAD_INPUT);
            }
        }
        Optional<Long> memoryBytes = Optional.ofNullable(memory).map(m -> size("--memory", m));
        Optional<Long> diskBytes = Optional.ofNullable(disk).map(d -> size("--disk", d));
        if (cpus != null && (cpus < 1 || cpus > VmSettings.MAX_CPUS)) {
            throw new UserError("--cpus must be 1.." + VmSettings.MAX_CPUS, ExitCodes.BAD_INPUT);
        }
        memoryBytes.ifPresent(m -> {
            if (m < VmSettings.MIN_MEMORY || m > VmSettings.MAX_MEMORY || m % (1 << 20) != 0) {
                throw new UserError("--memory must be a whole number of MiB from 256M to 64G", ExitCodes.BAD_INPUT);
            }
        });
        diskBytes.ifPresent(d -> {
            if (d < (256L << 20)) {
                throw new UserError("--disk must be at least 256M", ExitCodes.BAD_INPUT);
            }
        });
        if (kernel != null && !VmSettings.KERNEL.matcher(kernel).matches()) {
            throw new UserError("--kernel: not a kernel ABI or series: " + kernel + " (e.g. 6.1.0-56 or 6.1)",
                    ExitCodes.BAD_INPUT);
        }
        if (cmdline != null && (cmdline.length() > VmSettings.MAX_CMDLINE
                || cmdline.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new UserError("--cmdline must be one line of at most " + VmSettings.MAX_CMDLINE + " characters",
                    ExitCodes.BAD_INPUT);
        }
        if (cpu != null && !cpu.matches("[A-Za-z0-9][A-Za-z0-9_.=,-]*")) {
            throw new UserError("--cpu: not a QEMU CPU model: " + cpu, ExitCodes.BAD_INPUT);
        }
        if (bootTimeout < 1) {
            throw new UserError("--boot-timeout must be at least 1", ExitCodes.BAD_INPUT);
        }
        Vms vms = new Vms(VmRegistry.fromEnvironment(), VmCommand.progress(name));
        Vms.UpResult up;
        try {
            up = vms.up(new Vms.UpRequest(name, Optional.ofNullable(kernel), Optional.ofNullable(cpus), memoryBytes,
                    Optional.ofNullable(cmdline), Optional.ofNullable(cpu), diskBytes, Duration.ofSeconds(bootTimeout),
                    grub ? Optional.of(installKernels) : Optional.empty()));
        } catch (VmException e) {
            throw VmCommand.error(e);
        }
        var r = up.record();
        System.out.printf("vm:       %s %s%n", r.name(), up.alreadyRunning() ? "was already running (pid " + up.pid() + ")"
                : String.format("is up (pid %d) in %.1fs; boot to SSH %.1fs", up.pid(), up.seconds(), r.bootSeconds()));
        System.out.printf("kernel:   %s (ABI %s), %d CPUs %s, %d MiB%s%n", r.release(), r.kernel(), r.cpus(), r.cpu(),
                r.memoryMib(), r.cmdline().isBlank() ? "" : ", cmdline " + r.cmdline());
        System.out.printf("ssh:      %s%n", up.sshCommand());
        System.out.printf("console:  %s%n", up.dir().resolve("console.log"));
        System.out.printf("use:      ./lab run playbooks/memcg-storm.yaml --host %s%n", r.name());
        return ExitCodes.OK;
    }

    private static long size(String option, String text) {
        return Size.tryParse(text).map(Size::bytes).orElseThrow(() -> new UserError(option + ": expected "
                + Size.EXPECTED + ", got " + text, ExitCodes.BAD_INPUT));
    }
}
