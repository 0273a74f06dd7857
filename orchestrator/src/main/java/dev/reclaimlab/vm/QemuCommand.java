package dev.reclaimlab.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The QEMU command line of a VM. The guest's network is QEMU's user-mode network with {@code restrict=on}: it cannot
 * reach anything outside, and the only way in is SSH through a port forward bound to 127.0.0.1. QEMU daemonizes and
 * writes its pid file, so the VM outlives the {@code lab vm up} that started it and {@code lab vm down} finds it.
 *
 * <p>A VM boots one of two ways: QEMU loads the kernel and initrd itself and ends when the guest reboots (a panic
 * ends it at once), or, with {@code firmware}, it starts UEFI firmware that loads GRUB from the VM's system disk, as a
 * server boots, and a reboot of the guest goes through the firmware and GRUB again.
 *
 * @param kernelImage the kernel QEMU loads ({@code vmlinuz} of a {@link GuestKernel}); unused with {@code firmware}
 * @param cmdline     the user's extra kernel command line, appended to lab's own words; unused with {@code firmware}
 *                    (the system disk's grub.cfg has it)
 * @param firmware    UEFI firmware for a VM with a system disk, booted through GRUB; its variable store is the VM's
 *                    {@link VmDir#efiVars()}
 */
record QemuCommand(Path qemu, VmDir dir, String name, String cpu, int cpus, long memoryMib, String cmdline,
                   int sshPort, Path kernelImage, Optional<Path> firmware) {

    /**
     * Kernel command line words lab always passes: the PL011 serial console (the console log), and an immediate
     * panic exit (with {@code -no-reboot}, QEMU then ends, which is how a panic is noticed at once).
     */
    static final String BASE_CMDLINE = "console=ttyAMA0 panic=-1";

    String kernelCmdline() {
        return withBase(cmdline);
    }

    /** lab's own words, then the user's. */
    static String withBase(String cmdline) {
        return cmdline.isBlank() ? BASE_CMDLINE : BASE_CMDLINE + " " + cmdline.strip();
    }

    List<String> argv() {
        List<String> a = new ArrayList<>();
        a.add(qemu.toString());
        a.addAll(List.of("-name", "lab-" + name));
        a.addAll(List.of("-machine", "virt"));
        a.addAll(List.of("-cpu", cpu));
        a.addAll(List.of("-smp", Integer.toString(cpus)));
        a.addAll(List.of("-m", Long.toString(memoryMib)));
        a.add("-nodefaults");
        a.addAll(List.of("-display", "none"));
        a.addAll(List.of("-monitor", "none"));
        // append: a power cycle of a GRUB VM keeps what the boot before it said (lab vm up rotates the log itself)
        a.addAll(List.of("-chardev", "file,id=console,append=on,path=" + option(dir.console())));
        a.addAll(List.of("-serial", "chardev:console"));
        if (firmware.isPresent()) {
            // two flashes, as a server's: the firmware read-only, and the VM's own NVRAM for UEFI variables
            a.addAll(List.of("-drive", "if=pflash,format=raw,readonly=on,file=" + option(firmware.get())));
            a.addAll(List.of("-drive", "if=pflash,format=raw,file=" + option(dir.efiVars())));
        } else {
            a.addAll(List.of("-kernel", kernelImage.toString()));
            a.addAll(List.of("-initrd", dir.initrd().toString()));
            a.addAll(List.of("-append", kernelCmdline()));
        }
        a.addAll(List.of("-netdev", "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:" + sshPort + "-:22"));
        a.addAll(List.of("-device", "virtio-net-pci,netdev=net0,romfile="));
        // cache=unsafe: the guest's flushes are not forced to the host disk (the data disk holds nothing precious,
        // and an fsync-heavy workload would otherwise measure the host's disk); discard=unmap gives deleted files'
        // space back to the host, so disk.img stays small.
        a.addAll(List.of("-drive", "file=" + option(dir.disk()) + ",format=raw,if=none,id=data,cache=unsafe,discard=unmap"));
        a.addAll(List.of("-device", "virtio-blk-pci,drive=data"));
        if (firmware.isPresent()) {
            // the second disk, /dev/vdb in the guest: the firmware boots its EFI system partition
            a.addAll(List.of("-drive", "file=" + option(dir.systemDisk())
                    + ",format=raw,if=none,id=system,cache=unsafe"));
            a.addAll(List.of("-device", "virtio-blk-pci,drive=system,bootindex=0"));
        }
        a.addAll(List.of("-device", "virtio-rng-pci"));
        if (firmware.isEmpty()) {
            a.add("-no-reboot");
        }
        a.addAll(List.of("-pidfile", dir.pidFile().toString()));
        a.add("-daemonize");
        return a;
    }

    /** A path inside a QEMU option list, where a comma must be doubled. */
    private static String option(Path path) {
        return path.toString().replace(",", ",,");
    }
}
