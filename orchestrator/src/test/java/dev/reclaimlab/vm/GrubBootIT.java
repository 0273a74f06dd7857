package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaimlab.cli.ExitCodes;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.FileTransfer;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.testing.LabProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boot control through a real GRUB: a VM that boots like a server, through Debian's UEFI firmware
 * (qemu-efi-aarch64) and Debian's signed GRUB from its own system disk, with a 6.1 kernel as its default entry and a
 * 6.12 kernel installed beside it. lab adds an entry, GRUB boots it once, lab verifies it and comes back to the
 * default; a kernel that panics at boot is seen on the console and GRUB brings the default back by itself; a kernel
 * that hangs is power-cycled (the VM's QEMU) after the boot timeout; a run killed while the candidate runs is finished
 * by {@code lab cleanup}. After each, the host holds nothing of lab's: its grub.cfg and grubenv as they were, no
 * custom.cfg, no journal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrubBootIT {
    static final String VM = "it-grub";
    static final Duration SHORT = Duration.ofSeconds(60);
    /** A boot through firmware and GRUB takes ~15 s here; a hang is called after this. */
    static final String HANG_TIMEOUT = "40";
    private static String ownRelease;
    private static String candidateRelease;
    private static String grubCfg;

    @BeforeAll
    static void bootVm() throws Exception {
        VmIT.prerequisites();
        VmIT.Cli up = VmIT.cli("vm", "up", "--name", VM, "--grub", "--kernel", "6.1", "--install-kernel", "6.12");
        assertEquals(0, up.exit(), up.all());
        VmRecord record = VmIT.registry.record(VM).orElseThrow();
        assertTrue(record.grub(), record.toString());
        ownRelease = record.release();
        candidateRelease = record.installed().get(0) + "-arm64";
        grubCfg = guest("sha256sum /boot/grub/grub.cfg");
    }

    @AfterAll
    static void removeVm() throws Exception {
        VmIT.deleteIfRegistered(VM);
    }

    @Test
    @Order(1)
    void theVmBootsThroughUefiFirmwareAndGrubFromItsOwnDiskAndLabPlanShowsTheGrubSteps(@TempDir Path dir)
            throws Exception {
        String console = Files.readString(VmIT.registry.consoleLog(VM));
        assertTrue(console.contains("UEFI firmware"), "the firmware started");
        assertTrue(console.contains("GNU GRUB"), "GRUB showed its menu");
        String[] seen = observe();
        assertEquals(ownRelease, seen[0]);
        assertTrue(seen[1].startsWith("BOOT_IMAGE=/vmlinuz-" + ownRelease + " "), "GRUB booted it: " + seen[1]);
        assertTrue(guest("ls /boot").contains("vmlinuz-" + candidateRelease), "6.12 is installed beside the default");

        Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                name: grub-plan
                boot: {kernel: "%s", cmdline: {add: [lab.it=plan]}}
                workloads: [{name: w, command: ["true"]}]
                """.formatted(candidateRelease));
        VmIT.Cli shown = VmIT.cli("plan", plan.toString(), "--host", VM);
        assertEquals(0, shown.exit(), shown.all());
        assertTrue(shown.out().contains("through its grub boot method"), shown.all());
        assertTrue(shown.out().contains("#   lab_grub_once: grub-reboot reclaimlab-"), shown.all());
        assertTrue(shown.out().contains("#   grub: lab_grub_undo /boot/reclaim-lab"), shown.all());
        assertEquals(observe()[0], ownRelease, "lab plan booted nothing");
    }

    @Test
    @Order(2)
    void aKernelIsBootedOnceVerifiedAndTheDefaultComesBackWithNothingOfLabsLeft() throws Exception {
        VmIT.Cli boot = VmIT.cli("boot", "--host", VM, "--kernel", candidateRelease, "--cmdline-add", "lab.it=grub");
        assertEquals(0, boot.exit(), boot.all());
        String[] seen = observe();
        assertEquals(candidateRelease, seen[0]);
        assertTrue((seen[1] + " ").contains(" lab.it=grub "), seen[1]);
        // GRUB cleared next_entry as it booted the entry: a power cycle now brings the default back
        assertEquals("next_entry=", guest("grub-editenv /boot/grub/grubenv list | grep '^next_entry' || true"));
        String custom = guest("cat /boot/grub/custom.cfg");
        assertTrue(custom.contains("### reclaim-lab reclaimlab-") && custom.contains("--id 'reclaimlab-"), custom);
        assertTrue(guest("cat /boot/reclaim-lab/journal").contains("block /boot/grub/custom.cfg reclaimlab-"));

        VmIT.Cli back = VmIT.cli("boot", "--host", VM, "--default");
        assertEquals(0, back.exit(), back.all());
        assertTrue(back.out().contains("now on its default"), back.all());
        assertOnDefaultWithNothingLeft();
    }

    @Test
    @Order(3)
    void aKernelThatPanicsAtBootIsUntestableAndGrubBringsTheDefaultBackByItself() throws Exception {
        String powerCycles = qemuPid();
        VmIT.Cli boot = VmIT.cli("boot", "--host", VM, "--kernel", candidateRelease, "--cmdline-add",
                "rdinit=/lab-no-such-init");
        assertEquals(1, boot.exit(), boot.all());
        assertTrue(boot.out().contains("untestable") && boot.out().contains("panicked while booting")
                && boot.out().contains("Kernel panic - not syncing"), boot.all());
        assertFalse(boot.all().contains("power-cycling"), "the panic rebooted the VM; no power cycle was needed");
        assertEquals(powerCycles, qemuPid(), "the same QEMU: the guest rebooted itself into GRUB's default");
        assertOnDefaultWithNothingLeft();
    }

    /**
     * The same VM as a server of an inventory, reached over SSH with a {@code boot:} section as a lab owner writes
     * it: GRUB one-time boot, a boot timeout, a console command ({@code tail -F} of the serial log, as
     * {@code ipmitool sol activate} would be) and a power_cycle command ({@code lab vm reset}, in a JVM of its own, as
     * ipmitool would be). A kernel that hangs is power-cycled by that command after the timeout.
     */
    @Test
    @Order(4)
    void aServerWhoseKernelHangsIsPowerCycledByItsInventoryCommandAndTheKernelIsUntestable(@TempDir Path dir)
            throws Exception {
        Path inventory = server(dir, "srv-grub", "grub", HANG_TIMEOUT + "s");
        String qemuBefore = qemuPid();
        // an interactive shell as init: the kernel runs, nothing starts SSH, nothing panics
        VmIT.Cli boot = VmIT.cli("boot", "--inventory", inventory.toString(), "--host", "srv-grub", "--kernel",
                candidateRelease, "--cmdline-add", "rdinit=/bin/sh");
        assertEquals(1, boot.exit(), boot.all());
        assertTrue(boot.out().contains("untestable") && boot.out().contains("the host hung: no SSH answer within "
                + HANG_TIMEOUT + " s"), boot.all());
        assertTrue(boot.err().contains("power-cycling srv-grub (power_cycle command java)"), boot.all());
        // the console came through the console command (tail -F of the VM's serial log standing in for ipmitool sol)
        assertTrue(boot.out().contains("Run /bin/sh as init process"), boot.all());
        assertTrue(Files.readString(Path.of(System.getenv("LAB_HOME"), "consoles", "srv-grub.log"))
                .contains("Run /bin/sh as init process"));
        assertTrue(boot.err().contains("power-cycled by java"), boot.all());
        assertFalse(qemuBefore.equals(qemuPid()), "the power cycle started a new QEMU");
        assertOnDefaultWithNothingLeft();
    }

    /**
     * A run killed (SIGKILL: no teardown, no boot back) while the VM runs the candidate GRUB booted for it:
     * {@code lab cleanup} undoes the run there, removes lab's GRUB entry and boots the default.
     */
    @Test
    @Order(5)
    void cleanupAfterAKilledRunBootsTheDefaultAndRemovesLabsEntry(@TempDir Path dir) throws Exception {
        Process lab = startSleepingRun(dir, "killed");
        lab.destroyForcibly();
        lab.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        String[] killedOn = observe();
        assertEquals(candidateRelease, killedOn[0]);
        assertTrue(killedOn[1].contains("lab.it=killed"), killedOn[1]);

        VmIT.Cli cleanup = VmIT.cli("cleanup", "--host", VM, "--force");
        assertEquals(0, cleanup.exit(), cleanup.all());
        assertTrue(cleanup.out().contains("back on its default"), cleanup.all());
        assertOnDefaultWithNothingLeft();
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    /**
     * The command method, with a select command of the lab's own as a PXE server's would be: a script that tells the
     * host which kernel to boot next (here GRUB's next_entry, over ssh) and cannot change command lines. lab records
     * what it selects on this machine before the script runs, reboots the host, checks it, selects the default again
     * at once; {@code lab cleanup} boots the default; a target the script refuses is untestable with its words, and
     * nothing is rebooted.
     */
    @Test
    @Order(6)
    void theLabsOwnSelectCommandBootsACandidateOnceAndCleanupBootsTheDefault(@TempDir Path dir) throws Exception {
        String entry = guest("grep -o \"gnulinux-" + candidateRelease + "-advanced-[0-9a-f-]*\" /boot/grub/grub.cfg");
        String uuid = entry.substring(("gnulinux-" + candidateRelease + "-advanced-").length());
        Path calls = dir.resolve("select.log");
        Path select = Files.writeString(dir.resolve("select.sh"), """
                # a lab's own kernel selector: the host boots the GRUB entry of LAB_KERNEL next, once
                set -eu
                log=$1 port=$2 key=$3 known=$4 uuid=$5
                on_host() {
                  ssh -p "$port" -i "$key" -o UserKnownHostsFile="$known" -o StrictHostKeyChecking=yes \\
                    -o BatchMode=yes root@127.0.0.1 "$@"
                }
                echo "$LAB_BOOT $LAB_HOST kernel=$LAB_KERNEL add=$LAB_CMDLINE_ADD" >> "$log"
                case "$LAB_BOOT" in
                  default) on_host grub-editenv /boot/grub/grubenv unset next_entry ;;
                  target)
                    if [ -n "$LAB_CMDLINE_ADD$LAB_CMDLINE_REMOVE" ]; then
                      echo "this selector boots kernels as GRUB has them; it cannot change command lines" >&2
                      exit 3
                    fi
                    on_host grub-reboot "gnulinux-$LAB_KERNEL-advanced-$uuid"
                    echo "release=$LAB_KERNEL" ;;
                esac
                """);
        VmRecord record = VmIT.registry.record(VM).orElseThrow();
        Path vmDir = VmIT.registry.dir(VM).root();
        Path inventory = Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  srv-cmd:
                    address: 127.0.0.1
                    port: %1$d
                    identity: %2$s
                    known_hosts: %3$s
                    workdir: /data/lab
                    boot:
                      method: command
                      timeout: 120s
                      select: [sh, %4$s, %5$s, "%1$d", %2$s, %3$s, %6$s]
                """.formatted(record.sshPort(), quoted(vmDir.resolve("id_ed25519").toString()),
                quoted(vmDir.resolve("known_hosts").toString()), quoted(select.toString()), quoted(calls.toString()),
                uuid));
        Path labRecord = Path.of(System.getenv("LAB_HOME"), "boot", "srv-cmd.properties");

        VmIT.Cli boot = VmIT.cli("boot", "--inventory", inventory.toString(), "--host", "srv-cmd", "--kernel",
                candidateRelease);
        assertEquals(0, boot.exit(), boot.all());
        assertEquals(candidateRelease, observe()[0]);
        assertEquals(List.of("target srv-cmd kernel=" + candidateRelease + " add=", "default srv-cmd kernel= add="),
                Files.readAllLines(calls), "selected, then the default again once the host answered");
        assertEquals("", guest("grub-editenv /boot/grub/grubenv list | grep -v '^next_entry=$' || true"),
                "nothing is pending: any reboot now brings the default");
        assertTrue(Files.readString(labRecord).contains("kernel=" + candidateRelease), "lab's record, on this machine");

        VmIT.Cli cleanup = VmIT.cli("cleanup", "--inventory", inventory.toString(), "--host", "srv-cmd");
        assertEquals(0, cleanup.exit(), cleanup.all());
        assertTrue(cleanup.out().contains("which lab booted once: booting its default"), cleanup.all());
        assertOnDefaultWithNothingLeft();
        assertFalse(Files.exists(labRecord), "lab's record is gone with the boot");

        String bootId = guest("cat /proc/sys/kernel/random/boot_id");
        VmIT.Cli refused = VmIT.cli("boot", "--inventory", inventory.toString(), "--host", "srv-cmd", "--kernel",
                candidateRelease, "--cmdline-add", "lab.it=command");
        assertEquals(ExitCodes.FAILED, refused.exit(), refused.all());
        assertTrue(refused.all().contains("could not select kernel " + candidateRelease + ", cmdline +lab.it=command "
                + "(exit 3): this selector boots kernels as GRUB has them; it cannot change command lines"),
                refused.all());
        assertEquals(bootId, guest("cat /proc/sys/kernel/random/boot_id"), "nothing was rebooted");
        assertFalse(Files.exists(labRecord));
        assertOnDefaultWithNothingLeft();
    }

    /**
     * A kernel given as a folder (as a build leaves it): lab installs its image and initrd into /boot under the
     * release the image's banner names, journaled, boots it once, and removes them when the host is back on its
     * default. The folder is the VM's own 6.12, taken off its /boot first, so the host does not have it.
     */
    @Test
    @Order(13) // last: it takes the candidate off /boot
    void aKernelFromAFolderIsInstalledForItsBootAndRemovedAfter(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("k612"));
        try (Transport guest = new Transports(VmIT.registry.inventory(), false).open(spec())) {
            FileTransfer.download(guest, "/boot/vmlinuz-" + candidateRelease, folder.resolve("vmlinuz"));
            FileTransfer.download(guest, "/boot/initrd.img-" + candidateRelease, folder.resolve("initrd.img"));
        }
        guest("rm /boot/vmlinuz-" + candidateRelease + " /boot/initrd.img-" + candidateRelease);

        VmIT.Cli boot = VmIT.cli("boot", "--host", VM, "--kernel", folder.toString(), "--cmdline-add", "lab.it=folder");
        assertEquals(0, boot.exit(), boot.all());
        assertTrue(boot.err().contains("installed " + candidateRelease + " from " + folder), boot.all());
        String[] seen = observe();
        assertEquals(candidateRelease, seen[0], "the release the image's banner names");
        assertTrue(seen[1].contains("lab.it=folder"), seen[1]);
        assertTrue(guest("cat /boot/reclaim-lab/journal").contains("installed /boot/vmlinuz-" + candidateRelease));

        bootDefaultAndAssertTheCandidateGone();
    }

    /**
     * Kernels the VM does not have (the folder test took the candidate off /boot), named as Debian packages: a
     * {@code linux-image} {@code .deb} file, then the series 6.12. lab makes each bootable from the package or lab
     * vm's cache (its image, and an initrd with the VM's userland and that kernel's modules), installs it into /boot
     * for the boot, journaled, and removes it when the host is back on its default.
     */
    @Test
    @Order(14) // after the folder test, which took the candidate off /boot
    void debianKernelsTheVmDoesNotHaveAreMadeBootableInstalledAndRemovedAfter(@TempDir Path dir) throws Exception {
        assertEquals("", guest("ls /boot/vmlinuz-" + candidateRelease + " 2>/dev/null || true"));
        // Debian's package by its release, as a server gets it: signed where the archive has it yet, else unsigned
        Path deb = DebianKernelPackages.download(candidateRelease, "aarch64", dir);
        assertTrue(deb.getFileName().toString().startsWith("linux-image-" + candidateRelease), deb.toString());
        VmIT.Cli fromFile = VmIT.cli("boot", "--host", VM, "--kernel", deb.toString(), "--cmdline-add",
                "lab.it=deb");
        assertEquals(0, fromFile.exit(), fromFile.all());
        assertTrue(fromFile.err().contains("made Debian's " + candidateRelease + " bootable for " + VM),
                fromFile.all());
        String[] seen = observe();
        assertEquals(candidateRelease, seen[0]);
        assertTrue(seen[1].contains("lab.it=deb"), seen[1]);
        assertTrue(guest("cat /boot/reclaim-lab/journal").contains("installed /boot/initrd.img-" + candidateRelease));

        // from the candidate straight to the next: lab's files of the last boot go, the next one's come
        VmIT.Cli fromSeries = VmIT.cli("boot", "--host", VM, "--kernel", "6.12", "--cmdline-add", "lab.it=series");
        assertEquals(0, fromSeries.exit(), fromSeries.all());
        seen = observe();
        assertEquals(candidateRelease, seen[0]);
        assertTrue(seen[1].contains("lab.it=series") && !seen[1].contains("lab.it=deb"), seen[1]);

        bootDefaultAndAssertTheCandidateGone();
    }

    /**
     * A workload that crashes the candidate kernel (sysrq c) on a server is that iteration's result: the panic is on
     * the console (its console command kept running through the iterations) kept with it, the kernel's own reboot
     * (panic=-1) brings GRUB's default back, lab undoes the pass there, boots the candidate again for the next
     * variant, which runs as usual, and the host ends on its default with nothing left.
     */
    @Test
    @Order(7)
    void aKernelThatPanicsDuringAWorkloadIsThatIterationsResultAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("grub-crash.yaml"), """
                name: grub-crash
                boot: {kernel: "%s", cmdline: {add: [lab.it=crash]}}
                cgroups: [{path: victim, memory_limit: 64M}]
                tracing: {events: [vmscan:mm_vmscan_memcg_reclaim_begin]}
                workloads:
                  - {name: sysrq, cgroup: victim, command: [sh, -c, "echo ${key} > /proc/sysrq-trigger"], timeout: 2m}
                variants:
                  matrix: {key: [c, h]}
                """.formatted(candidateRelease));
        Path inventory = server(dir, "srv-crash", "grub", "120s");
        VmIT.Cli run = VmIT.cli("run", plan.toString(), "--inventory", inventory.toString(), "--host", "srv-crash",
                "--runs", dir.resolve("runs").toString());
        assertEquals(1, run.exit(), "a crash fails the run: " + run.all());
        assertFalse(run.all().contains("power-cycling"), "the kernel rebooted by itself: " + run.all());
        Path runDir = VmIT.onlyChild(dir.resolve("runs"));
        JsonNode manifest = manifest(runDir);
        JsonNode crashed = manifest.at("/iterations/0");
        assertEquals("crashed", crashed.at("/status").asText(), crashed.toString());
        assertEquals("key=c", crashed.at("/variant_label").asText());
        assertTrue(crashed.at("/error").asText().contains("Kernel panic - not syncing: sysrq triggered crash"),
                crashed.toString());
        String console = Files.readString(runDir.resolve(crashed.at("/artifacts/console").asText()));
        assertTrue(console.contains("Kernel panic - not syncing: sysrq triggered crash"), console);
        assertFalse(console.contains("GNU GRUB"), "cut after the panic's trace, before the firmware came back");

        JsonNode calm = manifest.at("/iterations/1");
        assertEquals("ok", calm.at("/status").asText(), calm.toString());
        assertEquals(candidateRelease, calm.at("/boot/release").asText(), "booted again for the next variant");
        assertTrue(calm.at("/boot/cmdline").asText().contains("lab.it=crash"));
        assertEquals(List.of("booted", "recovered", "booted", "default"), bootOutcomes(manifest));
        assertTrue(Files.readString(runDir.resolve("report.html")).contains("Kernels went down during iterations"));
        assertOnDefaultWithNothingLeft();
        assertEquals(List.of(), VmIT.guestResidue(VM), "the crashed pass was undone once the host was back");
    }

    /**
     * A host that stops answering during a workload (its QEMU frozen with SIGSTOP: the kernel prints nothing and SSH
     * gets no answer, as on a host whose kernel locked up hard) is called hung after the connection's keepalive and a
     * minute of silence, power-cycled, and the run ends with the host on its default and nothing of lab's left.
     */
    @Test
    @Order(8)
    void aHostThatHangsDuringAWorkloadIsCalledHungAndPowerCycled(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("lab.log");
        Process lab = startSleepingRun(dir, "hang");
        try {
            freezeQemu();
            assertTrue(lab.waitFor(8, java.util.concurrent.TimeUnit.MINUTES), "lab gave up on the frozen host");
        } finally {
            lab.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(1, lab.exitValue(), output);
        assertTrue(output.contains("power-cycling " + VM), output);
        JsonNode manifest = manifest(VmIT.onlyChild(dir.resolve("runs")));
        JsonNode hung = manifest.at("/iterations/0");
        assertEquals("hung", hung.at("/status").asText(), hung.toString());
        assertTrue(hung.at("/error").asText().contains("no SSH answer for 60 s after its connection died"),
                hung.toString());
        assertEquals(List.of("booted", "recovered"), bootOutcomes(manifest), "the power cycle brought the default back");
        assertOnDefaultWithNothingLeft();
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    /**
     * The kexec method (opted into in the inventory): lab loads the candidate with kexec -l and starts it with
     * kexec -e, past firmware and GRUB, whose files it never touches; a reboot brings the default back.
     */
    @Test
    @Order(9)
    void kexecBootsACandidatePastFirmwareAndGrubAndARebootBringsTheDefaultBack(@TempDir Path dir) throws Exception {
        Path inventory = server(dir, "srv-kexec", "kexec", "120s");
        VmIT.Cli boot = VmIT.cli("boot", "--inventory", inventory.toString(), "--host", "srv-kexec", "--kernel",
                candidateRelease, "--cmdline-add", "lab.it=kexec");
        assertEquals(0, boot.exit(), boot.all());
        assertTrue(boot.err().contains("kexec loaded /boot/vmlinuz-" + candidateRelease), boot.all());
        String[] seen = observe();
        assertEquals(candidateRelease, seen[0]);
        assertTrue((seen[1] + " ").contains(" lab.it=kexec "), seen[1]);
        assertFalse(seen[1].contains("BOOT_IMAGE="), "GRUB did not boot it: " + seen[1]);
        assertEquals("", guest("ls /boot/grub/custom.cfg 2>/dev/null || true"), "GRUB's files are not touched");
        assertTrue(guest("cat /boot/reclaim-lab/journal").contains("kexec_loaded"));

        VmIT.Cli back = VmIT.cli("boot", "--inventory", inventory.toString(), "--host", "srv-kexec", "--default");
        assertEquals(0, back.exit(), back.all());
        assertOnDefaultWithNothingLeft();
    }

    /**
     * The efi method: lab puts the candidate on the EFI system partition, makes a UEFI boot entry for its EFI stub and
     * the firmware's BootNext; the firmware (Debian's AAVMF, its variables in the VM's own flash) boots it once, past
     * GRUB. A candidate that panics at boot comes back on the default by itself: the firmware cleared BootNext.
     */
    @Test
    @Order(10)
    void efiBootsACandidateOnceAsBootNextAndAPanicBringsTheDefaultBack(@TempDir Path dir) throws Exception {
        Path inventory = server(dir, "srv-efi", "efi", "120s");
        String bootOrder = guest("efibootmgr | grep '^BootOrder'");
        VmIT.Cli boot = VmIT.cli("boot", "--inventory", inventory.toString(), "--host", "srv-efi", "--kernel",
                candidateRelease, "--cmdline-add", "lab.it=efi");
        assertEquals(0, boot.exit(), boot.all());
        String[] seen = observe();
        assertEquals(candidateRelease, seen[0]);
        assertTrue(seen[1].startsWith("initrd=\\EFI\\reclaimlab\\initrd.img ") && (seen[1] + " ").contains(" lab.it=efi "),
                "the firmware started the EFI stub with lab's entry, not GRUB: " + seen[1]);
        String firmware = guest("efibootmgr");
        assertFalse(firmware.contains("BootNext"), "the firmware cleared BootNext as it booted it: " + firmware);
        assertTrue(firmware.contains(bootOrder) && firmware.contains(" reclaimlab-"), firmware);
        assertTrue(guest("cat /boot/reclaim-lab/journal").contains("efi_bootnext "));

        String qemu = qemuPid();
        VmIT.Cli panics = VmIT.cli("boot", "--inventory", inventory.toString(), "--host", "srv-efi", "--kernel",
                candidateRelease, "--cmdline-add", "rdinit=/lab-no-such-init");
        assertEquals(ExitCodes.FAILED, panics.exit(), panics.all());
        assertTrue(panics.out().contains("untestable") && panics.out().contains("panicked while booting"), panics.all());
        assertEquals(qemu, qemuPid(), "no power cycle: the panic's reboot went to the default");
        assertEquals(bootOrder, guest("efibootmgr | grep '^BootOrder'"));
        assertOnDefaultWithNothingLeft();
    }

    /** A host that does not answer at all (its QEMU frozen) is power-cycled by {@code lab cleanup --power-cycle}. */
    @Test
    @Order(11)
    void cleanupPowerCyclesAHostThatDoesNotAnswerWhenAskedTo() throws Exception {
        String frozen = freezeQemu();
        VmIT.Cli cleanup = VmIT.cli("cleanup", "--host", VM, "--power-cycle");
        assertEquals(0, cleanup.exit(), cleanup.all());
        assertTrue(cleanup.out().contains("does not answer"), cleanup.all());
        assertFalse(frozen.equals(qemuPid()), "a new QEMU: the VM was power-cycled");
        assertOnDefaultWithNothingLeft();
    }

    /**
     * Ctrl-C while a candidate GRUB booted for the run is running: the run is torn down on the host and the host is
     * booted back to its default before lab exits, with nothing of lab's left.
     */
    @Test
    @Order(12)
    void ctrlCBootsTheHostBackToItsDefaultBeforeLabExits(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("lab.log");
        Process lab = startSleepingRun(dir, "ctrl-c");
        try {
            assertEquals(candidateRelease, observe()[0]);
            new ProcessBuilder("kill", "-INT", Long.toString(lab.pid())).start().waitFor();
            assertTrue(lab.waitFor(4, java.util.concurrent.TimeUnit.MINUTES), "lab exits once the host is back");
        } finally {
            lab.destroyForcibly();
        }
        String output = Files.readString(log);
        assertEquals(130, lab.exitValue(), output);
        assertTrue(output.contains("back on its default"), output);
        assertOnDefaultWithNothingLeft();
        assertEquals(List.of(), VmIT.guestResidue(VM));
    }

    // --- helpers

    /**
     * Starts {@code lab run} (a JVM of its own, output in {@code dir/lab.log}) of a plan that boots the candidate with
     * {@code lab.it=WORD} and sleeps in a memory cgroup, and returns once the workload runs there.
     */
    private static Process startSleepingRun(Path dir, String word) throws Exception {
        Path plan = Files.writeString(dir.resolve("sleep.yaml"), """
                name: grub-sleep
                boot: {kernel: "%s", cmdline: {add: [lab.it=%s]}}
                cgroups: [{path: sleepers, memory_limit: 64M}]
                workloads: [{name: sleep, cgroup: sleepers, command: [sleep, "600"], timeout: 11m}]
                """.formatted(candidateRelease, word));
        Path log = dir.resolve("lab.log");
        Process lab = LabProcess.start(log, "run", plan.toString(), "--host", VM, "--runs",
                dir.resolve("runs").toString());
        try {
            LabProcess.awaitOutput(lab, log, "run workload sleep", Duration.ofMinutes(5));
        } catch (Exception | AssertionError e) {
            lab.destroyForcibly();
            throw e;
        }
        return lab;
    }

    /**
     * An inventory with the VM as server {@code name}, as a lab owner writes one: boot {@code method}, a boot timeout,
     * a console command ({@code tail -F} of the serial log, as {@code ipmitool sol activate} would be) and a
     * power_cycle command ({@code lab vm reset}, in a JVM of its own, as ipmitool would be).
     */
    private static Path server(Path dir, String name, String method, String timeout) throws Exception {
        VmRecord record = VmIT.registry.record(VM).orElseThrow();
        Path vmDir = VmIT.registry.dir(VM).root();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return Files.writeString(dir.resolve("inventory.yaml"), """
                hosts:
                  %s:
                    address: 127.0.0.1
                    port: %d
                    identity: %s
                    known_hosts: %s
                    workdir: /data/lab
                    boot:
                      method: %s
                      timeout: %s
                      state_dir: /boot/reclaim-lab
                      console: [tail, -c, "0", -F, %s]
                      power_cycle: [%s, -cp, %s, %s, vm, reset, --name, %s]
                """.formatted(name, record.sshPort(), vmDir.resolve("id_ed25519"), vmDir.resolve("known_hosts"),
                method, timeout, quoted(VmIT.registry.consoleLog(VM).toString()), quoted(java),
                quoted(System.getProperty("java.class.path")), dev.reclaimlab.cli.LabCommand.class.getName(), VM));
    }

    private static JsonNode manifest(Path runDir) throws Exception {
        return Json.mapper().readTree(runDir.resolve("manifest.json").toFile());
    }

    /** What each boot of the run's only host came to, in order. */
    private static List<String> bootOutcomes(JsonNode manifest) {
        List<String> outcomes = new java.util.ArrayList<>();
        manifest.at("/hosts/0/boots").forEach(b -> outcomes.add(b.at("/outcome").asText()));
        return outcomes;
    }

    /** Boots the VM's default and checks the candidate lab installed into /boot for its boot is gone with it. */
    private static void bootDefaultAndAssertTheCandidateGone() throws Exception {
        VmIT.Cli back = VmIT.cli("boot", "--host", VM, "--default");
        assertEquals(0, back.exit(), back.all());
        assertEquals("", guest("ls /boot/vmlinuz-" + candidateRelease + " /boot/initrd.img-" + candidateRelease
                + " 2>/dev/null || true"), "what lab installed is gone");
        assertOnDefaultWithNothingLeft();
    }

    private static void assertOnDefaultWithNothingLeft() throws Exception {
        String[] seen = observe();
        assertEquals(ownRelease, seen[0]);
        assertEquals("BOOT_IMAGE=/vmlinuz-" + ownRelease + " console=ttyAMA0 panic=-1", seen[1]);
        assertEquals("", guest("ls /boot/grub/custom.cfg /boot/reclaim-lab 2>/dev/null || true"),
                "lab's entry file and journal are gone");
        assertEquals(grubCfg, guest("sha256sum /boot/grub/grub.cfg"), "the host's grub.cfg is as it was");
        assertEquals("", guest("grub-editenv /boot/grub/grubenv list | grep -v '^next_entry=$' || true"),
                "no entry pending and no default saved in grubenv");
        assertEquals("", guest("efibootmgr | grep -e BootNext -e reclaimlab || true; ls /boot/efi/EFI | grep -v "
                + "-e '^BOOT$' -e '^debian$' || true"), "no UEFI entry or BootNext of lab's, nothing on the ESP");
        assertEquals(java.util.Optional.empty(), new dev.reclaimlab.loader.LoaderBootMethod(dev.reclaimlab.loader.LoaderBootMethod.Once.GRUB, spec(),
                new Transports(VmIT.registry.inventory(), false), "/boot/reclaim-lab", SHORT, java.util.Optional.empty(),
                java.util.Optional.empty(), List.of(), java.util.Optional.empty(),
                VmIT.registry.home().bootRecord(VM)).labBoot());
        assertFalse(Files.exists(VmIT.registry.home().bootRecord(VM)), "lab's record on this machine is gone too");
    }

    /** A YAML double-quoted string: JSON's, which YAML reads the same. */
    private static String quoted(String text) throws Exception {
        return Json.mapper().writeValueAsString(text);
    }

    /**
     * Stops the VM's QEMU with SIGSTOP: from outside, a machine whose kernel locked up hard (no console, no SSH answer,
     * though its TCP port still accepts). Returns the frozen QEMU's pid.
     */
    private static String freezeQemu() throws Exception {
        String pid = qemuPid();
        assertEquals(0, new ProcessBuilder("kill", "-STOP", pid).start().waitFor());
        return pid;
    }

    private static String qemuPid() throws Exception {
        return VmIT.registry.runningPid(VM).map(String::valueOf).orElse("none");
    }

    private static String[] observe() throws Exception {
        return guest("uname -r; cat /proc/cmdline").split("\n", 2);
    }

    private static String guest(String command) throws Exception {
        try (Transport guest = new Transports(VmIT.registry.inventory(), false).open(spec())) {
            ExecResult r = guest.exec(command, SHORT);
            assertTrue(r.ok(), command + ": " + r.stderr());
            return r.stdout().strip();
        }
    }

    private static HostSpec spec() throws Exception {
        return VmIT.registry.inventory().host(VM).orElseThrow();
    }
}
