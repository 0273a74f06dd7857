package dev.reclaimlab.loader;

import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.boot.FollowedConsole;
import dev.reclaimlab.host.BootId;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.host.TransportFactory;
import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boots a host through the lab's own hooks, for set-ups lab does not know (a PXE or TFTP server, LAVA-like tooling,
 * a network boot service): a {@code select} command that makes the host's next boot the target's, and optionally a
 * {@code reboot} command (else {@code reboot} over SSH). Both run on the orchestrator as the inventory's argv, never
 * through a shell; what lab asks for comes in their environment:
 * <pre>
 * LAB_BOOT            target (boot LAB_KERNEL with the command-line words) | default (boot the host's own again)
 *                     | reboot (for the reboot command)
 * LAB_HOST            the host's name in the inventory
 * LAB_KERNEL          the plan's kernel as written (a release, a package, a file or folder); empty: the default's
 * LAB_CMDLINE_ADD     words to add to the default's command line, blank-separated
 * LAB_CMDLINE_REMOVE  words to take off it
 * </pre>
 * A select command may print {@code release=R} (what {@code uname -r} will print) for lab to check; without it the
 * plan's kernel is taken to be that release. It exits non-zero for what it cannot do (a kernel it does not have, words
 * it cannot add), which makes the target untestable.
 *
 * <p>Selections are often sticky (a PXE server serves the same kernel until told otherwise), so lab makes the boot
 * a one-time one itself: as soon as the host answers on the target, and before any power cycle, it selects the
 * default again; then whatever reboots the host next (a panic, a power cycle, a crash of lab) brings the default
 * back. lab installs nothing on the host; its record of what it selected lives on the orchestrator
 * ({@code $LAB_HOME/boot/HOST.properties}), written before the select command runs, for {@code lab cleanup}.
 */
public final class CommandBootMethod implements BootMethod {
    private static final Duration HOOK = Duration.ofMinutes(5);
    private static final Pattern RELEASE = Pattern.compile("(?m)^release=(\\S+)\\s*$");

    private final HostSpec host;
    private final TransportFactory transports;
    private final List<String> select;
    private final List<String> rebootCommand;
    private final OrchestratorRecord record;
    private final WatchedReboot reboot;

    /**
     * @param select        the command that selects the host's next boot, as argv
     * @param rebootCommand the command that reboots the host, as argv; empty: {@code reboot} over SSH
     * @param recordFile    lab's record of what it selected for this host, on the orchestrator
     * @param power         how the host is power-cycled when it hangs; lab selects the default before it is used
     */
    public CommandBootMethod(HostSpec host, TransportFactory transports, List<String> select, List<String> rebootCommand,
                             Path recordFile, Duration bootTimeout, Optional<PowerControl> power,
                             Optional<Path> consoleLog, List<String> consoleCommand) {
        if (select.isEmpty()) {
            throw new IllegalArgumentException("the command boot method needs a select command");
        }
        this.host = host;
        this.transports = transports;
        this.select = List.copyOf(select);
        this.rebootCommand = List.copyOf(rebootCommand);
        this.record = new OrchestratorRecord(recordFile, host.name());
        // a hung candidate must not be booted again by the power cycle that ends it
        Optional<PowerControl> defaultFirst = power.map(p -> new PowerControl() {
            @Override
            public String describe() {
                return p.describe();
            }

            @Override
            public void powerCycle(Consumer<String> progress) throws IOException, BootException {
                selectDefault(progress);
                p.powerCycle(progress);
            }
        });
        this.reboot = new WatchedReboot(host, transports, bootTimeout, defaultFirst, consoleLog, consoleCommand);
    }

    @Override
    public String name() {
        return "command";
    }

    @Override
    public Optional<String> bootOnce(BootTarget target, Consumer<String> progress) throws IOException, BootException {
        Transport transport = transports.open(host);
        try {
            String bootId = BootId.read(transport);
            Map<String, String> previous = record.read(); // a boot of lab's the host may still run
            Map<String, String> selection = new LinkedHashMap<>();
            TargetRecord.put(selection, target);
            selection.put("boot_id_before", bootId);
            selection.put("selected", Instant.now().toString());
            record.write(selection);
            HostCommand.Result selected = hook(select, "target", target);
            if (!selected.ok()) {
                selectDefault(progress);
                if (previous.isEmpty()) {
                    record.delete();
                } else {
                    record.write(previous);
                }
                throw new BootException(BootException.Kind.REFUSED, "the select command " + program(select)
                        + " could not select " + target.label() + " (exit " + selected.exit() + "): "
                        + (selected.stderr() + selected.stdout()).strip());
            }
            Optional<String> release = release(selected.stdout()).or(target::kernel);
            progress.accept("the select command " + program(select) + " selected " + target.label() + " for the "
                    + "next boot of " + host.name());
            try {
                reboot.into(transport, bootId, start(), release.orElse(target.label()), progress);
            } catch (IOException | BootException e) {
                try {
                    selectDefault(progress);
                } catch (IOException | BootException also) {
                    e.addSuppressed(also);
                }
                throw e;
            }
            // from now on any reboot brings the default: the target was a boot for once
            selectDefault(progress);
            return release;
        } finally {
            closeQuietly(transport);
        }
    }

    @Override
    public void bootDefault(Consumer<String> progress) throws IOException, BootException {
        Transport transport = transports.open(host);
        try {
            String bootId = BootId.read(transport);
            selectDefault(progress);
            reboot.intoDefault(transport, bootId, start(), progress);
            record.delete();
        } finally {
            closeQuietly(transport);
        }
    }

    @Override
    public void recover(String bootId, Optional<Duration> rebootsAfter, Consumer<String> progress)
            throws IOException, BootException {
        selectDefault(progress); // lab did after the boot; a crash of lab in between must not boot the target again
        reboot.awaitRecovery(bootId, rebootsAfter, progress);
        record.delete();
    }

    @Override
    public Optional<BootTarget> labBoot() throws IOException {
        return TargetRecord.read(record.read());
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
        steps.add("command: lab records " + target.label() + " in " + record.file() + " before it selects it");
        steps.add("select: " + program(select) + " with LAB_BOOT=target, LAB_KERNEL="
                + target.kernel().orElse("(empty)") + ", LAB_CMDLINE_ADD=\"" + String.join(" ", target.add())
                + "\", LAB_CMDLINE_REMOVE=\"" + String.join(" ", target.remove()) + "\"");
        steps.add((rebootCommand.isEmpty() ? "reboot over SSH" : "reboot: " + program(rebootCommand))
                + "; " + reboot.waitStep() + " (the default is selected before a power cycle)");
        steps.add("select: " + program(select) + " with LAB_BOOT=default, so any later reboot brings the default");
        steps.add("check: boot id changed, uname -r is " + target.kernel().map(k -> k + " (or the release the "
                + "select command printed)").orElse("the release the select command printed") + ", /proc/cmdline "
                + "has the words added and not those removed");
        return steps;
    }

    @Override
    public List<String> defaultSteps() {
        return List.of("command: select " + program(select) + " with LAB_BOOT=default, then "
                + (rebootCommand.isEmpty() ? "reboot over SSH" : program(rebootCommand))
                + " and check the boot id changed; lab's record " + record.file() + " is removed");
    }

    /** Selects the host's own default for its next boot; a select command that cannot is an error. */
    private void selectDefault(Consumer<String> progress) throws IOException, BootException {
        HostCommand.Result r = hook(select, "default", BootTarget.hostDefault());
        if (!r.ok()) {
            throw new BootException(BootException.Kind.FAILED, "the select command " + program(select)
                    + " could not select " + host.name() + "'s default (exit " + r.exit() + "): "
                    + (r.stderr() + r.stdout()).strip());
        }
        progress.accept("the select command " + program(select) + " selected " + host.name() + "'s default for its "
                + "next boot");
    }

    private RebootLadder.Start start() {
        if (rebootCommand.isEmpty()) {
            return RebootLadder.overSsh(RebootLadder.REBOOT);
        }
        return transport -> {
            HostCommand.Result r = hook(rebootCommand, "reboot", BootTarget.hostDefault());
            if (!r.ok()) {
                throw new IOException("the reboot command " + program(rebootCommand) + " failed (exit " + r.exit()
                        + "): " + (r.stderr() + r.stdout()).strip());
            }
        };
    }

    private HostCommand.Result hook(List<String> argv, String boot, BootTarget target) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("LAB_BOOT", boot);
        env.put("LAB_HOST", host.name());
        env.put("LAB_KERNEL", target.kernel().orElse(""));
        env.put("LAB_CMDLINE_ADD", String.join(" ", target.add()));
        env.put("LAB_CMDLINE_REMOVE", String.join(" ", target.remove()));
        return HostCommand.run(argv, HOOK, null, env);
    }

    /** The release a select command printed ({@code release=R}), the last one if it printed several. */
    static Optional<String> release(String stdout) {
        Matcher m = RELEASE.matcher(stdout);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return Optional.ofNullable(found).filter(r -> BootTarget.KERNEL.matcher(r).matches());
    }

    /** Only the program's name: its arguments may hold addresses and accounts, which logs need not show. */
    private static String program(List<String> argv) {
        return Path.of(argv.get(0)).getFileName().toString();
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (IOException | RuntimeException ignored) {
            // the reboot ended the connection
        }
    }
}
