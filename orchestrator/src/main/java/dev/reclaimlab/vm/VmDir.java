package dev.reclaimlab.vm;

import java.nio.file.Path;

/**
 * One registered VM's folder, {@code $LAB_HOME/vms/NAME}: everything that belongs to that VM and nothing shared.
 * <pre>
 * vm.json           what it is: kernel, CPUs, memory, command line, SSH port, last boot
 * inventory.yaml    its inventory entry; lab merges it into every inventory, so --host NAME just works
 * id_ed25519(.pub)  the key lab logs in with (ssh -i id_ed25519 -p PORT root@127.0.0.1 works too)
 * known_hosts       the guest's host key, pinned before the first boot
 * host_ed25519      the guest's host key (dropbear format), baked into initrd.img
 * initrd.img        the shared userland + this kernel's modules + this VM's keys
 * disk.img          the ext4 data disk, /data in the guest (sparse; deleted files are given back)
 * system.img        a GRUB VM's system disk: EFI system partition and /boot (kernels, grub.cfg, grubenv)
 * lab-boot.json     while the VM runs a kernel or command line lab booted once, which (so cleanup can undo it)
 * console.log       the serial console of the current boot (console.log.1: the boot before)
 * qemu.pid          QEMU's pid while it runs; qemu.log what QEMU said when it started
 * </pre>
 */
record VmDir(Path root) {
    Path record() {
        return root.resolve("vm.json");
    }

    Path inventory() {
        return root.resolve("inventory.yaml");
    }

    Path clientKey() {
        return root.resolve("id_ed25519");
    }

    Path clientPublicKey() {
        return root.resolve("id_ed25519.pub");
    }

    Path knownHosts() {
        return root.resolve("known_hosts");
    }

    Path hostKey() {
        return root.resolve("host_ed25519");
    }

    Path hostPublicKey() {
        return root.resolve("host_ed25519.pub");
    }

    Path initrd() {
        return root.resolve("initrd.img");
    }

    Path disk() {
        return root.resolve("disk.img");
    }

    /** A GRUB VM's UEFI variable store (its NVRAM): boot entries and BootNext, kept across power cycles. */
    Path efiVars() {
        return root.resolve("efivars.fd");
    }

    Path systemDisk() {
        return root.resolve("system.img");
    }

    Path labBoot() {
        return root.resolve("lab-boot.json");
    }

    Path console() {
        return root.resolve("console.log");
    }

    Path previousConsole() {
        return root.resolve("console.log.1");
    }

    Path pidFile() {
        return root.resolve("qemu.pid");
    }

    Path qemuLog() {
        return root.resolve("qemu.log");
    }

    Path lock() {
        return root.resolve(".lock");
    }
}
