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
import dev.reclaimlab.shell.Sh;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * Boots a host once through its own boot loader, in one of two ways ({@link Once}). GRUB, the way a server boots: lab
 * adds a menu entry for the target to custom.cfg, {@code grub-reboot} makes it GRUB's {@code next_entry}, and the host
 * reboots; GRUB clears next_entry before it boots the entry. Or kexec (opt in): lab loads the kernel with
 * {@code kexec -l} and starts it with {@code kexec -e}, past firmware and boot loader, which it does not touch. Either
 * way, whatever happens next — a panic that reboots, a hang ended by a power cycle — the host comes back on its
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
        KEXEC;

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

    /**
     * @param stateDir       the host's folder for lab's journal and record, on storage a reboot keeps
     * @param consoleLog     the host's serial console as a growing file, where it has one (a lab vm's console.log)
     * @param consoleCommand a command that prints the console ({@code ipmitool ... sol activate}), run while the host
     *                       boots with its output appended to {@code consoleLog}; empty when the file fills by itself
     */
    public LoaderBootMethod(Once once, HostSpec host, TransportFactory transports, String stateDir,
                            Duration bootTimeout, Optional<PowerControl> power, Optional<Path> consoleLog,
                            List<String> consoleCommand) {
        if (!STATE_DIR.matcher(stateDir).matches() || stateDir.contains("..")) {
            throw new IllegalArgumentException("not a plain absolute path for lab's boot state: " + stateDir);
        }
        this.once = once;
        this.host = host;
        this.transports = transports;
        this.stateDir = stateDir;
        this.reboot = new WatchedReboot(host, transports, bootTimeout, power, consoleLog, consoleCommand);
    }

    @Override
    public String name() {
        return once.word();
    }

    @Override
    public Optional<String> bootOnce(BootTarget target, Consumer<String> progress) throws IOException, BootException {
        Transport transport = transports.open(host);
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
            if (folder.isEmpty()) {
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
            upload(transport, "target", render(record));
            if (folder.isPresent()) {
                install(transport, folder.get(), progress);
            }
            GrubProbe probe = probe(transport, release);
            installed(probe, release);
            RebootLadder.Start start;
            if (once == Once.GRUB) {
                armGrub(transport, probe, id, release, cmdline, progress);
                start = RebootLadder.overSsh(RebootLadder.REBOOT);
            } else {
                run(transport, HostScripts.grubCall("lab_kexec_load", List.of(stateDir, probe.kernelFile().orElseThrow(),
                        probe.initrdFile().orElse(""), cmdline)), "load " + release + " for kexec");
                progress.accept("kexec loaded " + probe.kernelFile().get() + " (" + release + ", \"" + cmdline + "\"); "
                        + "the boot loader is left as it is");
                start = RebootLadder.overSsh(HostScripts.grubCall("lab_kexec_exec", List.of()));
            }
            reboot.into(transport, bootId, start, release, progress);
            return Optional.of(release);
        } finally {
            closeQuietly(transport);
        }
    }

    /** Adds lab's menu entry for {@code release} to GRUB's custom.cfg and makes it GRUB's next_entry. */
    private void armGrub(Transport transport, GrubProbe probe, String id, String release, String cmdline,
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
            return TargetRecord.read(record(transport));
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
                + " before it is made");
        steps.add("lab_grub_probe: " + (once == Once.GRUB ? "GRUB's folder, grub-reboot, grub.cfg boots next_entry "
                + "once and reads custom.cfg" : "the kexec program") + ", /boot has " + release);
        target.kernel().flatMap(KernelFolder::folderOf).ifPresent(f -> steps.add("lab_grub_install: " + f
                + "'s image and initrd into /boot under their release"));
        if (once == Once.GRUB) {
            steps.add("lab_grub_add: a menu entry reclaimlab-<digest> at the end of GRUB's custom.cfg: "
                    + target.label() + ", the command line the default's with those words");
            steps.add("lab_grub_once: grub-reboot reclaimlab-<digest> (GRUB's default entry is never changed)");
        } else {
            steps.add("lab_kexec_load: kexec -l " + release + "'s image and initrd, the command line the default's "
                    + "with " + target.label() + "'s words (the boot loader is not touched)");
        }
        steps.add((once == Once.GRUB ? "reboot" : "lab_kexec_exec: kexec -e (systemctl kexec under systemd)")
                + "; " + reboot.waitStep());
        steps.add("check: boot id changed, uname -r is " + release + ", /proc/cmdline has the words added and "
                + "not those removed; a panic on the console or a power cycle: tried once more, then untestable");
        return steps;
    }

    @Override
    public List<String> defaultSteps() {
        return List.of(name() + ": lab_grub_undo " + stateDir + " (lab's entry, files, a pending next_entry or kexec "
                + "kernel, newest first), then reboot into the default and check the boot id changed");
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
        progress.accept("undid lab's boot changes (journal in " + stateDir + ") on " + host.name());
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
