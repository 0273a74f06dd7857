package dev.reclaimlab.vm;

import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.boot.KernelCmdline;
import dev.reclaimlab.host.HostKeyPolicy;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.SshTarget;
import dev.reclaimlab.host.SshTransport;
import dev.reclaimlab.host.VmSettings;
import dev.reclaimlab.local.ExclusiveLock;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.local.Trees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * {@code lab vm}: boots registered VMs, stops them and says what they are. One VM is one folder in the
 * {@link VmRegistry}; what all VMs share (kernels, userland) is in the {@link GuestCache}.
 */
public final class Vms {
    public static final Duration DEFAULT_BOOT_TIMEOUT = Duration.ofSeconds(180);
    /** How long QEMU gets to exit after SIGTERM before it gets SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** A GRUB VM's /boot: room for the kernels it was made with and for those boot control installs (sparse). */
    private static final long SYSTEM_BOOT_MIB = 1024;
    private static final int PORT_TRIES = 3;
    /** How long a guest that was asked to power off gets before QEMU is killed. */
    static final Duration POWER_OFF_WAIT = Duration.ofSeconds(30);

    private final VmRegistry registry;
    private final Consumer<String> progress;

    public Vms(VmRegistry registry, Consumer<String> progress) {
        this.registry = registry;
        this.progress = progress;
    }

    public VmRegistry registry() {
        return registry;
    }

    /**
     * What {@code lab vm up} was asked for; empty means "as last time, else the default".
     *
     * @param grub present: a new VM boots through UEFI firmware and GRUB from a system disk, like a server, with these
     *             kernels (ABIs or series) installed in /boot besides {@code kernel}, its default
     */
    public record UpRequest(String name, Optional<String> kernel, Optional<Integer> cpus, Optional<Long> memoryBytes,
                            Optional<String> cmdline, Optional<String> cpu, Optional<Long> diskBytes,
                            Duration bootTimeout, Optional<List<String>> grub) {
        public UpRequest {
            Objects.requireNonNull(name);
            grub = grub.map(List::copyOf);
        }

        public static UpRequest named(String name) {
            return new UpRequest(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), DEFAULT_BOOT_TIMEOUT, Optional.empty());
        }

        public UpRequest withKernel(String abi) {
            return new UpRequest(name, Optional.of(abi), cpus, memoryBytes, cmdline, cpu, diskBytes, bootTimeout, grub);
        }

        public UpRequest withBootTimeout(Duration timeout) {
            return new UpRequest(name, kernel, cpus, memoryBytes, cmdline, cpu, diskBytes, timeout, grub);
        }

        public UpRequest withCmdline(String words) {
            return new UpRequest(name, kernel, cpus, memoryBytes, Optional.of(words), cpu, diskBytes, bootTimeout,
                    grub);
        }
    }

    /** @param alreadyRunning the VM was up with these settings, and nothing was done */
    public record UpResult(VmRecord record, Path dir, long pid, boolean alreadyRunning, double seconds) {
        /** The ssh command line that reaches the guest. */
        public String sshCommand() {
            return "ssh -i " + dir.resolve("id_ed25519") + " -o UserKnownHostsFile=" + dir.resolve("known_hosts")
                    + " -p " + record.sshPort() + " root@127.0.0.1";
        }
    }

    /** One line of {@code lab vm list}. */
    public record Status(VmRecord record, Optional<Long> pid, Path dir) {
        public boolean running() {
            return pid.isPresent();
        }
    }

    /** How a VM boots this time: what the request says, else what the VM had last time, else the defaults. */
    private record Settings(String cpu, int cpus, long memoryMib, String cmdline, long diskMib) {
        static Settings of(UpRequest request, VmRecord before) {
            boolean known = before != null;
            Settings s = new Settings(
                    request.cpu().orElse(known ? before.cpu() : VmRecord.DEFAULT_CPU),
                    request.cpus().orElse(known ? before.cpus() : VmSettings.DEFAULT_CPUS),
                    request.memoryBytes().map(b -> b >> 20).orElse(known ? before.memoryMib() : VmSettings.DEFAULT_MEMORY >> 20),
                    request.cmdline().orElse(known ? before.cmdline() : ""),
                    // the disk keeps the size it was made with
                    known ? before.diskMib() : request.diskBytes().map(b -> b >> 20).orElse(VmRecord.DEFAULT_DISK_MIB));
            new VmSettings(Optional.empty(), s.cpus, s.memoryMib << 20, s.cmdline, Optional.empty()); // validates
            return s;
        }
    }

    @SuppressWarnings("try") // the lock is held for the block's duration, never used inside it
    public UpResult up(UpRequest request) throws VmException, IOException {
        long started = System.nanoTime();
        String name = request.name();
        checkName(name);
        VmDir dir = registry.dir(name);
        try (ExclusiveLock lock = lock(dir, name)) {
            Optional<VmRecord> previous = registry.record(name);
            Optional<ProcessHandle> running = QemuProcess.find(dir);
            if (running.isPresent() && previous.isPresent() && Files.isRegularFile(dir.labBoot())) {
                throw new VmException(VmException.Kind.BAD_INPUT, "VM " + name + " runs a kernel lab booted once "
                        + "(" + dir.labBoot() + "); lab boot --host " + name + " --default brings its own back");
            }
            if (running.isPresent() && previous.isPresent()) {
                List<String> differences = differences(request, previous.get());
                if (differences.isEmpty()) {
                    return new UpResult(previous.get(), dir.root(), running.get().pid(), true, 0);
                }
                throw new VmException(VmException.Kind.BAD_INPUT, "VM " + name + " is running with "
                        + String.join(", ", differences) + "; stop it first: lab vm down --name " + name);
            }
            HostTools.require();
            VmRecord before = previous.orElse(null);
            boolean grub = request.grub().isPresent() || before != null && before.grub();
            if (grub) {
                HostTools.requireSystemDisk();
                grubUnchanged(request, before);
            }
            Settings settings = Settings.of(request, before);

            GuestCache cache = new GuestCache(registry.home().cache(), progress);
            Optional<String> wantedKernel = request.kernel().or(() -> Optional.ofNullable(before).map(VmRecord::kernel));
            String abi = KernelCatalog.choose(wantedKernel, cache.kernels());
            progress.accept("kernel " + abi + (request.kernel().isPresent() ? ""
                    : before != null ? " (as last time)" : " (Debian's default arm64 kernel)"));
            GuestCache.Parts parts = cache.prepare(abi);

            long prepared = System.nanoTime();
            prepareVmFiles(dir, name, settings, request, parts);
            Files.deleteIfExists(dir.labBoot()); // this boot is the VM's own again
            if (!grub) {
                return start(dir, name, settings, parts, before, request.bootTimeout(), started, prepared,
                        Optional.empty(), (port, release, bootedAt, seconds) -> record(name, abi, release, settings,
                                port, before, bootedAt, seconds, null, List.of()));
            }
            GrubParts grubParts = cache.prepareGrub();
            List<String> installed = before != null ? before.installed() : new ArrayList<>();
            if (before == null) {
                for (String k : request.grub().orElseThrow()) {
                    installed.add(KernelCatalog.choose(Optional.of(k), cache.kernels()));
                }
            }
            if (!Files.exists(dir.systemDisk())) {
                makeSystemDisk(dir, name, settings, cache, grubParts, abi, installed);
            }
            return start(dir, name, settings, parts, before, request.bootTimeout(), started, prepared,
                    Optional.of(grubParts), (port, release, bootedAt, seconds) -> record(name, abi, release,
                            settings, port, before, bootedAt, seconds, VmRecord.GRUB, installed));
        }
    }

    /** Only one lab vm command works on a VM at a time. */
    private ExclusiveLock lock(VmDir dir, String name) throws IOException {
        return ExclusiveLock.acquire(dir.lock(), () -> progress.accept("waiting for another lab vm command on " + name
                + " ..."));
    }

    private VmRecord registered(String name) throws VmException, IOException {
        return registry.record(name).orElseThrow(() -> new VmException(VmException.Kind.BAD_INPUT, "no VM named "
                + name + " (lab vm list shows them)"));
    }

    /** A GRUB VM's kernels and command line are in its system disk's grub.cfg: they stay as the VM was made. */
    private static void grubUnchanged(UpRequest request, VmRecord before) throws VmException {
        if (before == null) {
            return;
        }
        String name = before.name();
        String remake = "; lab vm down --name " + name + " --delete, then lab vm up --grub ... makes it anew";
        if (!before.grub()) {
            throw new VmException(VmException.Kind.BAD_INPUT, "VM " + name + " boots its kernel without firmware or "
                    + "GRUB" + remake);
        }
        List<String> d = differences(request, before).stream().filter(s -> s.startsWith("kernel ")
                || s.startsWith("cmdline ")).toList();
        if (!d.isEmpty()) {
            throw new VmException(VmException.Kind.BAD_INPUT, "VM " + name + " boots through GRUB with "
                    + String.join(", ", d) + ", as its grub.cfg says" + remake);
        }
        if (request.grub().isPresent() && !request.grub().get().isEmpty()
                && !request.grub().get().equals(before.installed())) {
            throw new VmException(VmException.Kind.BAD_INPUT, "VM " + name + " has " + before.installed()
                    + " installed besides " + before.kernel() + remake);
        }
    }

    /**
     * The system disk of a new GRUB VM: each kernel in /boot with an initrd of its own modules (and the guest's GRUB
     * tools), a grub.cfg with an entry per kernel, the first being the default, and an empty grubenv.
     */
    private void makeSystemDisk(VmDir dir, String name, Settings settings, GuestCache cache, GrubParts grubParts,
                                String abi, List<String> installed) throws IOException, VmException {
        long started = System.nanoTime();
        Path tree = Files.createTempDirectory(dir.root(), ".boot-");
        try {
            String uuid = UUID.randomUUID().toString();
            List<GrubConfig.Entry> entries = new ArrayList<>();
            List<String> kernels = new ArrayList<>(List.of(abi));
            kernels.addAll(installed);
            for (String k : kernels) {
                GuestCache.Parts p = cache.prepare(k);
                String release = p.kernel().release();
                Files.copy(p.kernel().image(), tree.resolve("vmlinuz-" + release));
                Files.write(tree.resolve("initrd.img-" + release),
                        initrd(dir, name, List.of(p.userland(), grubParts.toolsLayer(), p.kernel().modules())));
                entries.add(new GrubConfig.Entry(GrubConfig.entryId(release, uuid), release,
                        QemuCommand.withBase(settings.cmdline())));
            }
            Files.createDirectories(tree.resolve("grub"));
            Files.writeString(tree.resolve("grub/grub.cfg"), GrubConfig.render(name, uuid, entries));
            Files.write(tree.resolve("grub/grubenv"), GrubConfig.emptyEnvironment());
            SystemDisk.make(dir.systemDisk(), grubParts.grubImage(), tree, uuid, SYSTEM_BOOT_MIB);
        } finally {
            Trees.delete(tree);
        }
        progress.accept(String.format("made the system disk (EFI system partition with GRUB, /boot with %d kernel%s)"
                + " in %.1fs", installed.size() + 1, installed.isEmpty() ? "" : "s", GuestCache.seconds(started)));
    }

    /**
     * Power-cycles a running GRUB VM: QEMU is killed and started again on the same disks, as a BMC would reset a
     * server, so the firmware and GRUB boot what GRUB's environment says (its default, unless a one-time entry is
     * still pending). Returns once QEMU runs, without waiting for SSH.
     */
    @SuppressWarnings("try") // the lock is held for the block's duration, never used inside it
    public void powerCycle(String name) throws VmException, IOException {
        checkName(name);
        VmDir dir = registry.dir(name);
        try (ExclusiveLock lock = lock(dir, name)) {
            VmRecord own = registered(name);
            if (!own.grub()) {
                throw new VmException(VmException.Kind.BAD_INPUT, "VM " + name + " does not boot through GRUB: "
                        + "lab vm down and up restart it");
            }
            QemuProcess.stop(dir, Duration.ZERO);
            GrubParts grubParts = new GuestCache(registry.home().cache(), progress).prepareGrub();
            Started qemu = startQemu(dir, name, Settings.of(UpRequest.named(name), own), own.sshPort(), null,
                    Optional.of(grubParts));
            registry.save(own.booted(qemu.command().sshPort(), own.release(), own.bootedAt(), own.bootSeconds()));
            progress.accept("power-cycled " + name + ": QEMU restarted (pid " + qemu.pid() + ")");
        }
    }

    /** The VM's record after a boot, from the port QEMU got and what the boot showed (null before it is up). */
    private interface Recorder {
        VmRecord record(int port, String release, String bootedAt, Double bootSeconds);
    }

    /** Starts QEMU with the prepared files and waits for SSH; the record is saved before the wait and after. */
    private UpResult start(VmDir dir, String name, Settings settings, GuestCache.Parts parts, VmRecord before,
                           Duration timeout, long started, long prepared, Optional<GrubParts> firmware,
                           Recorder recorder)
            throws IOException, VmException {
        int port = before != null && portFree(before.sshPort()) ? before.sshPort() : freePort();
        rotateConsole(dir);
        Started qemu = startQemu(dir, name, settings, port, parts.kernel(), firmware);
        QemuCommand command = qemu.command();
        long pid = qemu.pid();
        progress.accept(String.format("QEMU started (pid %d, %d CPUs %s, %d MiB, ssh on 127.0.0.1:%d); "
                + "prepared in %.1fs, waiting for SSH ...", pid, settings.cpus(), settings.cpu(),
                settings.memoryMib(), command.sshPort(), GuestCache.seconds(prepared)));
        // saved now so that lab vm down finds and stops it even if this process dies during the boot
        registry.save(recorder.record(command.sshPort(), parts.kernel().release(), null, null));

        long booting = System.nanoTime();
        String release = awaitBoot(dir, name, pid, command.sshPort(), timeout);
        double bootSeconds = Math.round(GuestCache.seconds(booting) * 10) / 10.0;
        VmRecord record = recorder.record(command.sshPort(), release, Instant.now().toString(), bootSeconds);
        registry.save(record);
        return new UpResult(record, dir.root(), pid, false, GuestCache.seconds(started));
    }

    /**
     * Boots the VM once into another kernel and command line, as a test host's boot loader would boot a candidate
     * once: vm.json keeps the VM's own kernel and command line, so {@code lab vm up} after a {@code lab vm down}, and
     * {@link #bootDefault}, bring them back. What lab booted is written to {@code lab-boot.json} before QEMU is
     * stopped, so {@code lab cleanup} knows to boot the default again if this process dies. The target's
     * command-line words are applied to the VM's own extra words; lab's console and panic words stay.
     */
    @SuppressWarnings("try") // the lock is held for the block's duration, never used inside it
    public UpResult bootOnce(String name, BootTarget target, Duration timeout) throws VmException, IOException {
        long started = System.nanoTime();
        checkName(name);
        VmDir dir = registry.dir(name);
        try (ExclusiveLock lock = lock(dir, name)) {
            VmRecord own = registered(name);
            if (own.grub()) {
                throw new VmException(VmException.Kind.BAD_INPUT, "VM " + name + " boots through GRUB: lab boots it "
                        + "the way it boots a server, with the grub method");
            }
            List<String> labWords = KernelCmdline.words(QemuCommand.BASE_CMDLINE);
            for (String word : target.remove()) {
                if (labWords.stream().anyMatch(w -> KernelCmdline.matches(word, w))) {
                    throw new VmException(VmException.Kind.BAD_INPUT, "lab vm cannot boot without " + word
                            + ": lab reads the guest's console and notices a panic through "
                            + QemuCommand.BASE_CMDLINE);
                }
            }
            HostTools.require();
            GuestCache cache = new GuestCache(registry.home().cache(), progress);
            Optional<String> wanted = target.kernel().map(k -> KernelCatalog.abiOf(k).orElse(k));
            String abi = KernelCatalog.choose(wanted.or(() -> Optional.of(own.kernel())), cache.kernels());
            String cmdline = KernelCmdline.edited(own.cmdline(), target.add(), target.remove());
            Settings once = new Settings(own.cpu(), own.cpus(), own.memoryMib(), cmdline, own.diskMib());
            progress.accept("booting " + name + " once into kernel " + abi + (cmdline.isEmpty() ? ""
                    : " with \"" + cmdline + "\"") + " (its own: " + own.kernel()
                    + (own.cmdline().isEmpty() ? "" : " \"" + own.cmdline() + "\"") + ")");
            GuestCache.Parts parts = cache.prepare(abi);
            Trees.write(dir.labBoot(), Json.mapper().writeValueAsBytes(new LabBoot(target.kernel(), target.add(),
                    target.remove(), abi, cmdline, Instant.now().toString())));
            stop(name, dir, own);
            long prepared = System.nanoTime();
            writeInitrd(dir, name, parts.userland(), parts.kernel());
            return start(dir, name, once, parts, own, timeout, started, prepared, Optional.empty(),
                    (port, release, bootedAt, seconds) -> own.booted(port, own.release(), bootedAt, seconds));
        }
    }

    /**
     * A Debian arm64 kernel (an ABI, a release or a series, as {@code lab vm up --kernel} takes it, or a
     * {@code linux-image} {@code .deb} file on this machine) made bootable by a GRUB VM's boot loader: {@code into} gets its {@code vmlinuz}, an {@code initrd.img} with the VM's userland, boot
     * tools, that kernel's modules and the VM's keys (the guest's root file system lives in its initrd, so modules
     * cannot be installed on its disk), and a {@code release} file. The grub, efi and kexec methods install it into
     * the guest's /boot for the boot, as they install any kernel folder.
     *
     * @return the release the guest will report
     */
    public String kernelFolder(String name, String kernel, Path into) throws VmException, IOException {
        checkName(name);
        VmDir dir = registry.dir(name);
        VmRecord own = registered(name);
        if (!own.grub()) {
            throw new VmException(VmException.Kind.BAD_INPUT, "VM " + name + " boots its kernel without firmware or "
                    + "GRUB: lab vm boots it with a kernel directly");
        }
        HostTools.require();
        GuestCache cache = new GuestCache(registry.home().cache(), progress);
        GrubParts grubParts = cache.prepareGrub();
        Path deb = Path.of(kernel).toAbsolutePath();
        if (kernel.endsWith(".deb") && Files.isRegularFile(deb)) {
            // a package file (a build of one's own, an archived Debian build): unpacked for this boot only
            Path userland = cache.prepare(own.kernel()).userland();
            Path unpacked = Files.createTempDirectory(into.getParent(), ".deb-");
            try {
                GuestKernel built = GuestKernel.build("", deb, unpacked.resolve("staging"), unpacked.resolve("kernel"));
                return writeKernelFolder(dir, name, into, built, List.of(userland, grubParts.toolsLayer(),
                        built.modules()));
            } finally {
                Trees.delete(unpacked);
            }
        }
        String abi = KernelCatalog.choose(Optional.of(KernelCatalog.abiOf(kernel).orElse(kernel)), cache.kernels());
        GuestCache.Parts parts = cache.prepare(abi);
        return writeKernelFolder(dir, name, into, parts.kernel(), List.of(parts.userland(), grubParts.toolsLayer(),
                parts.kernel().modules()));
    }

    private static String writeKernelFolder(VmDir dir, String name, Path into, GuestKernel kernel, List<Path> layers)
            throws IOException {
        Files.createDirectories(into);
        Files.copy(kernel.image(), into.resolve("vmlinuz"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(into.resolve("initrd.img"), initrd(dir, name, layers));
        Files.writeString(into.resolve("release"), kernel.release() + "\n");
        return kernel.release();
    }

    /**
     * What lab booted once on the VM ({@code lab-boot.json}), also when that boot died (a panic ends QEMU); empty
     * when the VM runs its own kernel and command line ({@code lab vm up} and {@code lab vm down} remove the file).
     */
    public Optional<LabBoot> labBoot(String name) throws VmException, IOException {
        checkName(name);
        VmDir dir = registry.dir(name);
        if (!Files.isRegularFile(dir.labBoot())) {
            return Optional.empty();
        }
        return Optional.of(Json.mapper().readValue(dir.labBoot().toFile(), LabBoot.class));
    }

    /** Boots the VM's own kernel and command line again, after {@link #bootOnce}: QEMU restarted as vm.json says. */
    public UpResult bootDefault(String name, Duration timeout) throws VmException, IOException {
        down(name);
        return up(UpRequest.named(name).withBootTimeout(timeout));
    }

    private static VmRecord record(String name, String abi, String release, Settings s, int port, VmRecord before,
                                   String bootedAt, Double bootSeconds, String bootLoader, List<String> installed) {
        return new VmRecord(name, abi, release, s.cpus(), s.memoryMib(), s.cpu(), s.cmdline(), port, s.diskMib(),
                before != null ? before.createdAt() : Instant.now().toString(), bootedAt, bootSeconds, bootLoader,
                installed);
    }

    /** Keys (once), the data disk (once) and this boot's initrd. */
    private void prepareVmFiles(VmDir dir, String name, Settings settings, UpRequest request, GuestCache.Parts parts)
            throws IOException {
        Files.createDirectories(dir.root());
        keys(dir, name);
        if (DataDisk.ensure(dir.disk(), settings.diskMib() << 20)) {
            progress.accept("made the data disk (" + settings.diskMib() / 1024.0 + " GiB, sparse, ext4)");
        } else if (request.diskBytes().isPresent() && request.diskBytes().get() >> 20 != settings.diskMib()) {
            progress.accept("keeping the existing " + settings.diskMib() + " MiB data disk (--disk only sizes a new "
                    + "one; lab vm down --name " + name + " --delete removes it)");
        }
        writeInitrd(dir, name, parts.userland(), parts.kernel());
    }

    private record Started(QemuCommand command, long pid) {}

    /** Starts QEMU; a port taken between our look and QEMU's bind is replaced by another. */
    private static Started startQemu(VmDir dir, String name, Settings s, int port, GuestKernel kernel,
                                     Optional<GrubParts> firmware) throws IOException, VmException {
        Path qemu = HostTools.qemu();
        if (firmware.isPresent() && !Files.exists(dir.efiVars())) {
            // the VM's NVRAM starts empty, as a new server's; from then on it is the VM's own
            Path partial = dir.efiVars().resolveSibling(".efivars.fd.partial");
            Files.copy(firmware.get().firmwareVars(), partial, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, dir.efiVars(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        for (int attempt = 1; ; attempt++) {
            writeKnownHosts(dir, port);
            QemuCommand command = new QemuCommand(qemu, dir, name, s.cpu(), s.cpus(), s.memoryMib(), s.cmdline(), port,
                    kernel == null ? null : kernel.image(), firmware.map(GrubParts::firmware));
            try {
                return new Started(command, QemuProcess.start(command));
            } catch (VmException e) {
                if (attempt < PORT_TRIES && e.getMessage().contains("hostfwd")) {
                    port = freePort();
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Waits for SSH; on any failure, and if this process is stopped meanwhile (Ctrl-C), QEMU is stopped so no
     * half-booted VM is left running.
     */
    private static String awaitBoot(VmDir dir, String name, long pid, int port, Duration timeout)
            throws VmException, IOException {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new VmException(VmException.Kind.FAILED,
                "QEMU (pid " + pid + ") ended at once; see " + dir.console()));
        Thread stopOnExit = new Thread(() -> stopQuietly(dir), "lab-vm-boot-abort");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            return BootWait.await(process, port, target(name, dir, port), new ConsoleLog(dir.console()), timeout);
        } catch (VmException | IOException | RuntimeException e) {
            stopQuietly(dir);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs and stops the VM
            }
        }
    }

    /**
     * Stops the VM: the guest is asked over SSH to power off (so what it wrote to its data disk is on disk, not lost
     * with its page cache), and QEMU is killed if it has not ended within {@link #POWER_OFF_WAIT}, or at once with
     * {@code force}. Returns false if it was not running. The registration (disk, keys) stays.
     */
    public boolean down(String name, boolean force) throws VmException, IOException {
        checkName(name);
        VmDir dir = registry.dir(name);
        if (!Files.isDirectory(dir.root())) {
            throw new VmException(VmException.Kind.BAD_INPUT, "no VM named " + name + " (lab vm list shows them)");
        }
        Optional<VmRecord> record = force ? Optional.empty() : registry.record(name);
        boolean stopped = stop(name, dir, record.orElse(null));
        Files.deleteIfExists(dir.labBoot()); // its next boot is its own
        return stopped;
    }

    /** Powers the guest off (asked over SSH when {@code record} says where), else stops QEMU; true if it ran. */
    private boolean stop(String name, VmDir dir, VmRecord record) throws VmException, IOException {
        Optional<ProcessHandle> qemu = QemuProcess.find(dir);
        if (qemu.isPresent() && record != null && powerOff(name, dir, record.sshPort())) {
            QemuProcess.waitForExit(qemu.get(), POWER_OFF_WAIT);
        }
        boolean stopped = QemuProcess.stop(dir, STOP_GRACE) || qemu.isPresent();
        Files.deleteIfExists(dir.pidFile());
        return stopped;
    }

    public boolean down(String name) throws VmException, IOException {
        return down(name, false);
    }

    /** Asks the guest to flush its disks and power off; false if it could not be asked (QEMU is killed then). */
    private boolean powerOff(String name, VmDir dir, int port) {
        SshTarget target = SshTarget.builder(name, "127.0.0.1").port(port).user("root")
                .identityFile(dir.clientKey()).useAgent(false).knownHosts(dir.knownHosts())
                .hostKeyPolicy(HostKeyPolicy.STRICT).connectTimeout(Duration.ofSeconds(5)).build();
        try (SshTransport guest = SshTransport.connect(target)) {
            // busybox poweroff only signals init, which syncs, unmounts and powers off: QEMU then ends by itself.
            return guest.exec("sync; poweroff", Duration.ofSeconds(30)).ok();
        } catch (IOException | RuntimeException e) {
            progress.accept("could not ask the guest to power off (" + e.getMessage() + "); stopping QEMU");
            return false;
        }
    }

    /** Stops the VM if it runs (at once: its disk goes too) and removes its folder: data disk, keys, console logs. */
    public void delete(String name) throws VmException, IOException {
        down(name, true);
        registry.delete(name);
    }

    public List<Status> list() throws IOException {
        List<Status> out = new ArrayList<>();
        for (String name : registry.names()) {
            Optional<VmRecord> record = registry.record(name);
            if (record.isPresent()) {
                out.add(new Status(record.get(), registry.runningPid(name), registry.dir(name).root()));
            }
        }
        return out;
    }

    /** The registered VM's console log. */
    public Path console(String name) throws VmException {
        checkName(name);
        VmDir dir = registry.dir(name);
        if (!Files.isDirectory(dir.root())) {
            throw new VmException(VmException.Kind.BAD_INPUT, "no VM named " + name + " (lab vm list shows them)");
        }
        return dir.console();
    }

    static void checkName(String name) throws VmException {
        if (!VmRegistry.NAME.matcher(name).matches() || name.length() > 64) {
            throw new VmException(VmException.Kind.BAD_INPUT, "invalid VM name '" + name + "' (letters, digits, "
                    + "'.', '_' and '-', not starting with '.' or '-', at most 64 characters)");
        }
        if (name.equals(HostSpec.LOCAL_NAME)) {
            throw new VmException(VmException.Kind.BAD_INPUT, "'local' is this machine and cannot name a VM");
        }
    }

    /** Settings the request names that differ from how the VM runs now. */
    private static List<String> differences(UpRequest request, VmRecord running) {
        List<String> d = new ArrayList<>();
        request.kernel().filter(k -> !running.kernel().equals(k) && !running.kernel().startsWith(k + "."))
                .ifPresent(k -> d.add("kernel " + running.kernel() + " (not " + k + ")"));
        request.cpus().filter(c -> c != running.cpus()).ifPresent(c -> d.add(running.cpus() + " CPUs (not " + c + ")"));
        request.memoryBytes().filter(m -> m >> 20 != running.memoryMib())
                .ifPresent(m -> d.add(running.memoryMib() + " MiB (not " + (m >> 20) + ")"));
        request.cmdline().filter(c -> !c.equals(running.cmdline()))
                .ifPresent(c -> d.add("cmdline \"" + running.cmdline() + "\" (not \"" + c + "\")"));
        request.cpu().filter(c -> !c.equals(running.cpu())).ifPresent(c -> d.add("cpu " + running.cpu() + " (not " + c + ")"));
        return d;
    }

    /** The client key (made once) and the guest's host key (made once, pinned in known_hosts by every boot). */
    private static void keys(VmDir dir, String name) throws IOException {
        if (!Files.exists(dir.clientKey())) {
            Ed25519KeyPair client = Ed25519KeyPair.generate();
            Trees.write(dir.clientKey(), client.openSshPrivateKey("lab-vm-" + name)
                    .getBytes(StandardCharsets.US_ASCII), "rw-------");
            Trees.write(dir.clientPublicKey(), (client.publicLine("lab-vm-" + name) + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
        if (!Files.exists(dir.hostKey())) {
            Ed25519KeyPair host = Ed25519KeyPair.generate();
            Trees.write(dir.hostKey(), host.dropbearPrivateKey(), "rw-------");
            Trees.write(dir.hostPublicKey(), (host.publicLine("lab-vm-" + name + "-host") + "\n")
                    .getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** initrd.img: the shared userland, this kernel's modules, then this VM's own files (keys, host name). */
    private static void writeInitrd(VmDir dir, String name, Path userland, GuestKernel kernel) throws IOException {
        Trees.write(dir.initrd(), initrd(dir, name, List.of(userland, kernel.modules())));
    }

    /** An initrd: the shared layers in order, then this VM's own files (keys, host name). */
    private static byte[] initrd(VmDir dir, String name, List<Path> layers) throws IOException {
        byte[] own = Cpio.inMemory(cpio -> {
            cpio.dir("/etc", 0755);
            cpio.file("/etc/hostname", 0644, (name + "\n").getBytes(StandardCharsets.UTF_8));
            cpio.dir("/etc/dropbear", 0700);
            cpio.file("/etc/dropbear/host_ed25519", 0600, Files.readAllBytes(dir.hostKey()));
            cpio.dir("/root", 0700); // dropbear refuses keys in a folder others can write to
            cpio.dir("/root/.ssh", 0700);
            cpio.file("/root/.ssh/authorized_keys", 0600, Files.readAllBytes(dir.clientPublicKey()));
        });
        ByteArrayOutputStream initrd = new ByteArrayOutputStream();
        for (Path layer : layers) {
            initrd.writeBytes(Files.readAllBytes(layer));
        }
        initrd.writeBytes(own);
        return initrd.toByteArray();
    }

    private static void writeKnownHosts(VmDir dir, int port) throws IOException {
        String publicKey = Files.readString(dir.hostPublicKey()).strip().split("\\s+", 3)[1];
        Trees.write(dir.knownHosts(), ("[127.0.0.1]:" + port + " ssh-ed25519 " + publicKey + "\n")
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** Keeps the previous boot's console log as console.log.1, for a look at what happened before. */
    private static void rotateConsole(VmDir dir) throws IOException {
        if (Files.exists(dir.console())) {
            Trees.moveIntoPlace(dir.console(), dir.previousConsole());
        }
    }

    static SshTarget target(String name, VmDir dir, int port) {
        return SshTarget.builder(name, "127.0.0.1").port(port).user("root").identityFile(dir.clientKey())
                .useAgent(false).knownHosts(dir.knownHosts()).hostKeyPolicy(HostKeyPolicy.STRICT)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static boolean portFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound();
        } catch (IOException taken) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void stopQuietly(VmDir dir) {
        try {
            QemuProcess.stop(dir, STOP_GRACE);
        } catch (VmException | RuntimeException ignored) {
            // reported by the caller's own error; lab vm down tries again
        }
    }
}
