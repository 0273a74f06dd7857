package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandTest {
    private final VmDir dir = new VmDir(Path.of("/home/u/.local/share/lab/vms/arm01"));

    private List<String> argv(String cmdline) {
        return new QemuCommand(Path.of("/usr/bin/qemu-system-aarch64"), dir, "arm01", "cortex-a57", 2, 1024,
                cmdline, 40022, Path.of("/cache/kernels/6.1.0-56/vmlinuz"), Optional.empty()).argv();
    }

    private static String after(List<String> argv, String option) {
        return argv.get(argv.indexOf(option) + 1);
    }

    @Test
    void aVmIsAnArm64VirtMachineReachableOnlyThroughALoopbackSshForward() {
        List<String> a = argv("");
        assertEquals("virt", after(a, "-machine"));
        assertEquals("cortex-a57", after(a, "-cpu"));
        assertEquals("2", after(a, "-smp"));
        assertEquals("1024", after(a, "-m"));
        assertEquals("user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:40022-:22", after(a, "-netdev"));
        assertEquals("/cache/kernels/6.1.0-56/vmlinuz", after(a, "-kernel"));
        assertEquals(dir.initrd().toString(), after(a, "-initrd"));
        assertEquals("file,id=console,append=on,path=" + dir.console(), after(a, "-chardev"));
        assertTrue(after(a, "-drive").startsWith("file=" + dir.disk() + ",format=raw,"));
        assertEquals(dir.pidFile().toString(), after(a, "-pidfile"));
        assertTrue(a.containsAll(List.of("-no-reboot", "-daemonize", "-nodefaults")));
        assertEquals("console=ttyAMA0 panic=-1", after(a, "-append"));
    }

    @Test
    void theUsersCommandLineComesAfterLabsOwnWords() {
        assertEquals("console=ttyAMA0 panic=-1 cgroup.memory=nokmem", after(argv("  cgroup.memory=nokmem "), "-append"));
    }

    @Test
    void commasInPathsAreDoubledInsideOptionLists() {
        VmDir odd = new VmDir(Path.of("/tmp/a,b"));
        List<String> a = new QemuCommand(Path.of("qemu"), odd, "x", "cortex-a57", 1, 512, "", 1, Path.of("k"),
                Optional.empty()).argv();
        assertTrue(after(a, "-drive").startsWith("file=/tmp/a,,b/disk.img,"), after(a, "-drive"));
        assertEquals("file,id=console,append=on,path=/tmp/a,,b/console.log", after(a, "-chardev"));
    }

    @Test
    void aGrubVmStartsItsFirmwareWhichBootsTheSystemDiskAndRebootsInsteadOfEnding() {
        List<String> a = new QemuCommand(Path.of("qemu"), dir, "g1", "cortex-a57", 2, 1024, "", 40023,
                null, Optional.of(Path.of("/cache/grub/AAVMF_CODE.fd"))).argv();
        // the firmware read-only, and the VM's own NVRAM, so boot entries and BootNext survive a reboot
        assertTrue(a.contains("if=pflash,format=raw,readonly=on,file=/cache/grub/AAVMF_CODE.fd"), a.toString());
        assertTrue(a.contains("if=pflash,format=raw,file=" + dir.efiVars()), a.toString());
        assertTrue(a.indexOf("if=pflash,format=raw,readonly=on,file=/cache/grub/AAVMF_CODE.fd")
                < a.indexOf("if=pflash,format=raw,file=" + dir.efiVars()), "the code is the first flash");
        assertTrue(!a.contains("-bios"), a.toString());
        assertTrue(!a.contains("-kernel") && !a.contains("-initrd") && !a.contains("-append"), a.toString());
        assertTrue(!a.contains("-no-reboot"), "a guest's reboot must go through the firmware and GRUB again");
        assertTrue(a.contains("file=" + dir.systemDisk() + ",format=raw,if=none,id=system,cache=unsafe"), a.toString());
        assertTrue(a.contains("virtio-blk-pci,drive=system,bootindex=0"), a.toString());
        // the data disk comes first, so the guest's /dev/vda is /data as on every lab VM
        assertTrue(a.indexOf("virtio-blk-pci,drive=data") < a.indexOf("virtio-blk-pci,drive=system,bootindex=0"));
    }
}
