package dev.reclaimlab.loader;

import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.boot.FollowedConsole;
import dev.reclaimlab.boot.KernelCmdline;
import dev.reclaimlab.host.BootId;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.FileTransfer;
import dev.reclaimlab.host.HostScripts;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.TransportFactory;
import dev.reclaimlab.local.Trees;
import dev.reclaimlab.shell.Sh;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Boots a host once through its own boot loader or firmware, in one of three ways ({@link Once}). GRUB, the way a
 * server boots: lab adds a menu entry for the target to custom.cfg, {@code grub-reboot} makes it GRUB's
 * {@code next_entry}, and the host reboots; GRUB clears next_entry before it boots the entry. UEFI: lab puts the kernel
 * on the EFI system partition, makes a boot entry for its EFI stub and the firmware's BootNext; the firmware clears
 * BootNext before it boots it. Or kexec (opt in): lab loads the kernel with {@code kexec -l} and starts it with
 * {@code kexec -e}, past firmware and boot loader, which it does not touch. Each way, whatever happens next — a panic that reboots, a hang ended by a power cycle — the host comes back on its
 * default, which lab never changes. Every change is journaled on the host's persistent storage before it is made
 * (grub.sh), and {@link #bootDefault} undoes exactly those.
 *
 * <p>Kernels: a release installed in /boot ({@code uname -r} form), or a folder on the orchestrator with an image and
 * an initrd ({@link KernelFolder}), installed into /boot for the boot; the command line is the default boot's, edited.
 */
public final class LoaderBootMethod implements BootMethod {
    /** Where the journal of lab's boot-loader changes lives on a host: persistent, unlike the run journal in /run. */
    public static final String DEFAULT_STATE_DIR = "/var/lib/reclaim-lab/boot";
    private static final Pattern STATE_DIR = Pattern.compile("/[A-Za-z0-9_.+~/-]+");
    private static final Duration COMMAND = Duration.ofSeconds(60);

    /** How the boot once is armed and started. */
    public enum Once {
        /** A menu entry of lab's, GRUB's next_entry, and a reboot through firmware and GRUB. */
        GRUB,
        /** {@code kexec -l} and {@code kexec -e}: quicker, and the boot loader is left as it is. */
        KEXEC,
        /**
         * A UEFI boot entry of lab's that starts the kernel's EFI stub from the EFI system partition, made the
         * firmware's BootNext ({@code efibootmgr -n}); the firmware clears BootNext before it boots it, and BootOrder
         * and GRUB are left as they are.
         */
        EFI;

        /** The method's name in the inventory: {@code grub}, {@code kexec}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Once once;
    private final HostSpec host;
    private final TransportFactory transports;
    private final String stateDir;
    private final WatchedReboot reboot;
    private final Optional<KernelPackages> packages;
    private final OrchestratorRecord orchestratorRecord;

    /**
     * @param stateDir       the host's folder for lab's journal and record, on storage a reboot keeps
     * @param consoleLog     the host's serial console as a growing file, where it has one (a lab vm's console.log)
     * @param consoleCommand a command that prints the console ({@code ipmitool ... sol activate}), run while the host
     *                       boots with its output appended to {@code consoleLog}; empty when the file fills by itself
     * @param packages       where kernels the host does not have, named as packages, come from; empty: nowhere
     * @param recordFile     lab's record of its boot changes on this host, on the orchestrator
     */
    public LoaderBootMethod(Once once, HostSpec host, TransportFactory transports, String stateDir,
                            Duration bootTimeout, Optional<PowerControl> power, Optional<Path> consoleLog,
                            List<String> consoleCommand, Optional<KernelPackages> packages, Path recordFile) {
        if (!STATE_DIR.matcher(stateDir).matches() || stateDir.contains("..")) {
            throw new IllegalArgumentException("not a plain absolute path for lab's boot state: " + stateDir);
        }
        this.once = once;
        this.host = host;
        this.transports = transports;
        this.stateDir = stateDir;
        this.reboot = new WatchedReboot(host, transports, bootTimeout, power, consoleLog, consoleCommand);
        this.packages = packages;
        this.orchestratorRecord = new OrchestratorRecord(recordFile, host.name());
    }

    @Override
    public String name() {
        return once.word();
    }

    @Override
    public Optional<String> bootOnce(BootTarget target, Consumer<String> progress) throws IOException, BootException {
        Transport transport = transports.open(host);
        Path made = null;
        try {
            String bootId = BootId.read(transport);
            GrubProbe tools = probe(transport, "");
            Optional<String> unusable = tools.unusableFor(once);
            if (unusable.isPresent()) {
                throw new BootException(BootException.Kind.REFUSED, "cannot boot " + host.name()
                        + " once through " + name() + ": " + unusable.get());
            }
            Map<String, String> previous = record(transport);
            String defaultRelease;
            String defaultCmdline;
            if (previous.isEmpty()) {
                defaultRelease = read(transport, "uname -r").strip();
                defaultCmdline = GrubEntry.withoutLoaderWords(read(transport, "cat /proc/cmdline").strip());
            } else {
                // the host runs (or was to run) a boot of lab's: its default is what lab noted before that one
                defaultRelease = previous.getOrDefault("default_release", "");
                defaultCmdline = previous.getOrDefault("default_cmdline", "");
                undo(transport, tools, progress);
            }
            Optional<KernelFolder> folder = kernelFolder(target);
            String release = folder.map(KernelFolder::release).orElse(target.kernel().orElse(defaultRelease));
            if (folder.isEmpty() && target.kernel().isPresent() && packages.isPresent()
                    && probe(transport, release).kernelFile().isEmpty()) {
                // not an installed release: a package of that name, as a folder made here or a package file
                made = Files.createTempDirectory("lab-kernel-");
                packages.get().make(target.kernel().get(), read(transport, "uname -m").strip(), made, progress);
                Optional<Path> packageFile = KernelPackages.packageFile(made);
                if (packageFile.isPresent()) {
                    // the record first: what lab installs from the package is undone by lab cleanup after a crash
                    Map<String, String> pending = new LinkedHashMap<>();
                    TargetRecord.put(pending, target);
                    pending.put("default_release", defaultRelease);
                    pending.put("default_cmdline", defaultCmdline);
                    recordEverywhere(transport, pending);
                    release = installPackage(transport, packageFile.get(), progress);
                } else {
                    KernelFolder fromPackage = KernelFolder.read(made);
                    release = fromPackage.release();
                    if (probe(transport, release).kernelFile().isEmpty()) {
                        folder = Optional.of(fromPackage); // unless the release it holds is installed already
                    }
                }
            } else if (folder.isEmpty()) {
                installed(probe(transport, release), release); // refused before anything is changed
            }
            String cmdline = KernelCmdline.edited(defaultCmdline, target.add(), target.remove());
            String id = GrubEntry.idFor(release, cmdline);

            Map<String, String> record = new LinkedHashMap<>();
            record.put("entry", id);
            TargetRecord.put(record, target);
            record.put("release", release);
            record.put("cmdline", cmdline);
            record.put("default_release", defaultRelease);
            record.put("default_cmdline", defaultCmdline);
            record.put("started", Instant.now().toString());
            recordEverywhere(transport, record);
            if (folder.isPresent()) {
                install(transport, folder.get(), progress);
            }
            GrubProbe probe = probe(transport, release);
            installed(probe, release);
            RebootLadder.Start start = switch (once) {
                case GRUB -> armGrub(transport, probe, id, release, cmdline, progress);
                case KEXEC -> armKexec(transport, probe, release, cmdline, progress);
                case EFI -> armEfi(transport, probe, id, release, cmdline, progress);
            };
            mirrorJournal(transport, record);
            reboot.into(transport, bootId, start, release, progress);
            return Optional.of(release);
        } finally {
            if (made != null) {
                Trees.delete(made);
            }
            closeQuietly(transport);
        }
    }

    /** Loads {@code release} for kexec; the returned start is {@code kexec -e}. */
    private RebootLadder.Start armKexec(Transport transport, GrubProbe probe, String release, String cmdline,
                                        Consumer<String> progress) throws IOException {
        run(transport, HostScripts.grubCall("lab_kexec_load", List.of(stateDir, probe.kernelFile().orElseThrow(),
                probe.initrdFile().orElse(""), cmdline)), "load " + release + " for kexec");
        progress.accept("kexec loaded " + probe.kernelFile().get() + " (" + release + ", \"" + cmdline + "\"); "
                + "the boot loader is left as it is");
        return RebootLadder.overSsh(HostScripts.grubCall("lab_kexec_exec", List.of()));
    }

    /**
     * Copies {@code release}'s image and initrd to the EFI system partition, makes a UEFI boot entry {@code id} that
     * starts it with {@code cmdline}, and makes it the firmware's BootNext; the returned start is a reboot.
     */
    private RebootLadder.Start armEfi(Transport transport, GrubProbe probe, String id, String release, String cmdline,
                                      Consumer<String> progress) throws IOException, BootException {
        if (cmdline.indexOf('"') >= 0 || cmdline.indexOf('\\') >= 0) {
            throw new BootException(BootException.Kind.REFUSED, "cannot pass a quote or a backslash to the EFI stub's "
                    + "command line: " + cmdline);
        }
        run(transport, HostScripts.grubCall("lab_efi_add", List.of(stateDir, probe.esp().orElseThrow(),
                probe.espDisk().orElseThrow(), probe.espPartition().orElseThrow(), id, probe.kernelFile().orElseThrow(),
                probe.initrdFile().orElse(""), cmdline)), "add lab's UEFI boot entry");
        run(transport, HostScripts.grubCall("lab_efi_once", List.of(stateDir, id)), "set the firmware's BootNext");
        progress.accept("the firmware boots UEFI entry " + id + " (" + release + " from " + probe.esp().get()
                + "/EFI/reclaimlab, \"" + cmdline + "\") once, as BootNext; BootOrder and GRUB stay as they are");
        return RebootLadder.overSsh(RebootLadder.REBOOT);
    }

    /** Adds lab's menu entry for {@code release} to GRUB's custom.cfg and makes it GRUB's next_entry. */
    private RebootLadder.Start armGrub(Transport transport, GrubProbe probe, String id, String release, String cmdline,
                                       Consumer<String> progress) throws IOException, BootException {
        GrubEntry entry = entry(probe, id, release, cmdline);
        upload(transport, "entry", entry.render());
        String grubDir = probe.grubDir().orElseThrow();
        run(transport, HostScripts.grubCall("lab_grub_add", List.of(stateDir, grubDir, entry.id(),
                stateDir + "/entry")), "add lab's GRUB entry");
        run(transport, HostScripts.grubCall("lab_grub_once", List.of(stateDir, grubDir, entry.id(),
                probe.rebootTool().orElseThrow(), probe.editenv().orElseThrow())), "set GRUB's next_entry");
        progress.accept("GRUB boots entry " + entry.id() + " (" + release + ", \"" + cmdline + "\") once; "
                + "its default entry stays");
        return RebootLadder.overSsh(RebootLadder.REBOOT);
    }

    /** The kernel folder the target names on this machine, read; empty for an installed release. */
    private static Optional<KernelFolder> kernelFolder(BootTarget target) throws BootException {
        Optional<Path> dir = target.kernel().flatMap(KernelFolder::folderOf);
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(KernelFolder.read(dir.get()));
        } catch (IOException e) {
            throw new BootException(BootException.Kind.REFUSED, e.getMessage(), e);
        }
    }

    /**
     * Uploads a kernel package and installs its kernel on the host without the package manager (grub.sh's
     * {@code lab_pkg_install}: journaled, removed by the undo); returns the release it holds.
     */
    private String installPackage(Transport transport, Path file, Consumer<String> progress)
            throws IOException, BootException {
        String name = file.getFileName().toString();
        String upload = stateDir + "/kernel" + name.substring(name.lastIndexOf('.'));
        progress.accept("uploading " + name + " (" + (Files.size(file) >> 20) + " MB) to " + host.name() + " ...");
        FileTransfer.upload(transport, file, upload);
        ExecResult r = transport.exec(HostScripts.grubCall("lab_pkg_install", List.of(stateDir, upload)) + "; s=$?; rm -f "
                + Sh.quote(upload) + "; exit $s", Duration.ofMinutes(10));
        Optional<String> release = Optional.ofNullable(GrubProbe.keyValues(r.stdout()).get("release"))
                .filter(v -> KernelFolder.RELEASE.matcher(v).matches());
        if (!r.ok() || release.isEmpty()) {
            throw new BootException(BootException.Kind.REFUSED, "cannot install the kernel of " + name + " on "
                    + host.name() + " (" + r.outcome() + "): " + (r.stderr() + r.stdout()).strip());
        }
        progress.accept("installed " + release.get() + " from " + name + " (image, modules, an initrd made by the "
                + "host's own tool; not through the package manager, whose scripts would run update-grub)");
        return release.get();
    }

    /** Refuses a release that is not in /boot, saying what is. */
    private void installed(GrubProbe probe, String release) throws BootException {
        if (probe.kernelFile().isEmpty()) {
            throw new BootException(BootException.Kind.REFUSED, "kernel " + release + " is not installed on "
                    + host.name() + " (/boot has " + (probe.installed().isEmpty() ? "no kernels"
                    : String.join(", ", probe.installed())) + "); a folder with its vmlinuz and initrd can be given "
                    + "instead");
        }
    }

    /**
     * Copies the folder's image and initrd into /boot under its release (checked on arrival, journaled before they
     * are moved into place, removed again by the undo); files already there with the same bytes are used as they are.
     */
    private void install(Transport transport, KernelFolder folder, Consumer<String> progress) throws IOException {
        String release = folder.release();
        installFile(transport, folder.image(), "/boot/vmlinuz-" + release);
        if (folder.initrd().isPresent()) {
            installFile(transport, folder.initrd().get(), "/boot/initrd.img-" + release);
        }
        progress.accept("installed " + release + " from " + folder.dir() + " into /boot of " + host.name());
    }

    private void installFile(Transport transport, Path local, String target) throws IOException {
        String upload = stateDir + "/upload";
        FileTransfer.upload(transport, local, upload);
        run(transport, HostScripts.grubCall("lab_grub_install", List.of(stateDir, upload, target)),
                "install " + target);
    }

    private GrubProbe probe(Transport transport, String release) throws IOException {
        return GrubProbe.parse(read(transport, HostScripts.grubCall("lab_grub_probe", List.of(release))));
    }

    @Override
    public void bootDefault(Consumer<String> progress) throws IOException, BootException {
        Transport transport = transports.open(host);
        try {
            String bootId = BootId.read(transport);
            undo(transport, probe(transport, ""), progress);
            reboot.intoDefault(transport, bootId, RebootLadder.overSsh(RebootLadder.REBOOT), progress);
        } finally {
            closeQuietly(transport);
        }
    }

    /**
     * GRUB consumed its next_entry when it booted lab's entry, so whatever brings the host up again (the kernel's own
     * reboot after a panic, a power cycle) boots its default; then lab's entry and state are removed.
     */
    @Override
    public void recover(String bootId, Optional<Duration> rebootsAfter, Consumer<String> progress)
            throws IOException, BootException {
        reboot.awaitRecovery(bootId, rebootsAfter, progress);
        try (Transport transport = transports.open(host)) {
            undo(transport, probe(transport, ""), progress);
        }
    }

    @Override
    public Optional<BootTarget> labBoot() throws IOException {
        try (Transport transport = transports.open(host)) {
            Optional<BootTarget> booted = TargetRecord.read(record(transport));
            if (booted.isEmpty()) {
                // lab records here before the host, and the host before any change: the host holds nothing of lab's
                orchestratorRecord.delete();
            }
            return booted;
        }
    }

    @Override
    public Optional<Path> console() {
        return reboot.lastBoot();
    }

    @Override
    public Optional<FollowedConsole> followConsole(Consumer<String> progress) {
        return reboot.follow(progress);
    }

    @Override
    public List<String> steps(BootTarget target) {
        List<String> steps = new ArrayList<>();
        String release = target.kernel().map(k -> KernelFolder.folderOf(k).map(f -> "the release of " + f).orElse(k))
                .orElse("the default's release");
        steps.add(name() + ": every change below is journaled in " + stateDir + "/journal on " + host.name()
                + " before it is made; what lab boots is recorded in " + orchestratorRecord.file() + " here first, "
                + "with a copy of that journal once the boot is armed");
        steps.add("lab_grub_probe: " + switch (once) {
            case GRUB -> "GRUB's folder, grub-reboot, grub.cfg boots next_entry once and reads custom.cfg";
            case KEXEC -> "the kexec program";
            case EFI -> "efibootmgr, UEFI variables, the EFI system partition";
        } + ", /boot has " + release);
        target.kernel().flatMap(KernelFolder::folderOf).ifPresent(f -> steps.add("lab_grub_install: " + f
                + "'s image and initrd into /boot under their release"));
        if (packages.isPresent() && target.kernel().flatMap(KernelFolder::folderOf).isEmpty()) {
            target.kernel().ifPresent(k -> steps.add("if /boot has no release " + k + ": its package (a .deb or "
                    + ".rpm here, a Debian package downloaded here, a lab vm kernel from its cache), its kernel "
                    + "installed into /boot (lab_pkg_install or lab_grub_install) for the boot and removed after"));
        }
        switch (once) {
            case GRUB -> {
                steps.add("lab_grub_add: a menu entry reclaimlab-<digest> at the end of GRUB's custom.cfg: "
                        + target.label() + ", the command line the default's with those words");
                steps.add("lab_grub_once: grub-reboot reclaimlab-<digest> (GRUB's default entry is never changed)");
            }
            case KEXEC -> steps.add("lab_kexec_load: kexec -l " + release + "'s image and initrd, the command line "
                    + "the default's with " + target.label() + "'s words (the boot loader is not touched)");
            case EFI -> {
                steps.add("lab_efi_add: " + release + "'s image and initrd into EFI/reclaimlab on the EFI system "
                        + "partition, a UEFI boot entry reclaimlab-<digest> (efibootmgr -C: not in BootOrder) that "
                        + "starts it with the default's command line and " + target.label() + "'s words");
                steps.add("lab_efi_once: efibootmgr -n: the entry is the firmware's BootNext (BootOrder and GRUB are "
                        + "never changed)");
            }
        }
        steps.add((once == Once.KEXEC ? "lab_kexec_exec: kexec -e (systemctl kexec under systemd)" : "reboot")
                + "; " + reboot.waitStep());
        steps.add("check: boot id changed, uname -r is " + release + ", /proc/cmdline has the words added and "
                + "not those removed; a panic on the console or a power cycle: tried once more, then untestable");
        return steps;
    }

    @Override
    public List<String> defaultSteps() {
        return List.of(name() + ": lab_grub_undo " + stateDir + " (lab's entry, files, a pending next_entry, BootNext "
                + "or kexec kernel, newest first), then reboot into the default and check the boot id changed");
    }

    private GrubEntry entry(GrubProbe probe, String id, String release, String cmdline) throws BootException {
        String kernel = probe.kernelFile().orElseThrow();
        String grubKernel = probe.bootPrefix() + kernel.substring("/boot".length());
        Optional<String> grubInitrd = probe.initrdFile().map(i -> probe.bootPrefix() + i.substring("/boot".length()));
        try {
            GrubEntry entry = new GrubEntry(id, "reclaim-lab, once: Linux " + release, probe.bootUuid(),
                    GrubEntry.fsModule(probe.bootFs()), grubKernel, grubInitrd, cmdline);
            entry.render(); // refuses what GRUB cannot be given
            return entry;
        } catch (IllegalArgumentException e) {
            throw new BootException(BootException.Kind.REFUSED, e.getMessage());
        }
    }

    /** Reverses what lab's journal on the host says lab changed (its entry, a pending next_entry). */
    private void undo(Transport transport, GrubProbe probe, Consumer<String> progress) throws IOException {
        run(transport, HostScripts.grubCall("lab_grub_undo", List.of(stateDir, probe.editenv().orElse(""))),
                "undo lab's GRUB changes");
        orchestratorRecord.delete();
        progress.accept("undid lab's boot changes (journal in " + stateDir + ") on " + host.name());
    }

    /**
     * Records what lab is about to boot on the orchestrator and then on the host ({@code STATE/target}), each durable
     * before the changes it describes are made.
     */
    private void recordEverywhere(Transport transport, Map<String, String> record) throws IOException {
        Map<String, String> here = new LinkedHashMap<>(record);
        here.put("method", name());
        here.put("state_dir", stateDir);
        orchestratorRecord.write(here);
        upload(transport, "target", render(record));
    }

    /** Copies the host's journal of what lab changed into the orchestrator's record, once the boot is armed. */
    private void mirrorJournal(Transport transport, Map<String, String> record) throws IOException {
        Map<String, String> here = new LinkedHashMap<>(record);
        here.put("method", name());
        here.put("state_dir", stateDir);
        here.put("journal", read(transport, "cat " + Sh.quote(stateDir + "/journal") + " 2>/dev/null || true").strip());
        orchestratorRecord.write(here);
    }

    /** lab's record of the boot it asked for ({@code STATE/target}); empty when there is none. */
    private Map<String, String> record(Transport transport) throws IOException {
        ExecResult r = transport.exec("cat " + Sh.quote(stateDir + "/target") + " 2>/dev/null || true", COMMAND);
        return GrubProbe.keyValues(r.stdout());
    }

    private static String render(Map<String, String> record) {
        StringBuilder s = new StringBuilder();
        record.forEach((k, v) -> s.append(k).append('=').append(v.replace('\n', ' ')).append('\n'));
        return s.toString();
    }


    /** Writes {@code STATE/name} whole (a temporary file renamed over it) and makes it durable. */
    private void upload(Transport transport, String name, String text) throws IOException {
        String file = stateDir + "/" + name;
        String command = "mkdir -p " + Sh.quote(stateDir) + " && cat > " + Sh.quote(file + ".tmp") + " && mv "
                + Sh.quote(file + ".tmp") + " " + Sh.quote(file) + " && sync";
        try (InputStream in = new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))) {
            ExecResult r = transport.execFromStream(command, in, COMMAND);
            if (!r.ok()) {
                throw new IOException(host.name() + ": cannot write " + file + " (" + r.outcome() + "): "
                        + r.stderr().strip());
            }
        }
    }

    private String read(Transport transport, String command) throws IOException {
        ExecResult r = transport.exec(command, COMMAND);
        if (!r.ok()) {
            throw new IOException(host.name() + ": " + command.lines().findFirst().orElse("") + " failed ("
                    + r.outcome() + "): " + r.stderr().strip());
        }
        return r.stdout();
    }

    private void run(Transport transport, String command, String what) throws IOException {
        ExecResult r = transport.exec(command, COMMAND);
        if (!r.ok()) {
            throw new IOException(host.name() + ": cannot " + what + " (" + r.outcome() + "): "
                    + (r.stderr() + r.stdout()).strip());
        }
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (IOException | RuntimeException ignored) {
            // the reboot ended the connection
        }
    }
}
