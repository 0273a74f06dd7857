package dev.reclaimlab.cli;

import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.boot.KernelCmdline;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.Transports;
import dev.reclaimlab.run.BootMethods;
import dev.reclaimlab.run.HostBoot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boot a host once into a kernel and command line, check what came up (a new boot id, uname -r, "
                + "/proc/cmdline), and leave it there for manual work; or boot its default again.",
                "The host's default is never changed: a power cycle brings it back. lab run does the same for plans "
                        + "with a boot section, once per kernel and command line, and boots the default at the end."})
final class BootCommand implements Callable<Integer> {
    @Mixin
    HostOptions hostOptions;

    @ArgGroup(multiplicity = "1")
    What what;

    static final class What {
        @ArgGroup(exclusive = false)
        Target target;

        @Option(names = "--default", required = true, description = "Boot the host's own kernel and command line again.")
        boolean toDefault;
    }

    static final class Target {
        @Option(names = "--kernel", paramLabel = "K", description = "The kernel: a release (uname -r form), a Debian "
                + "package version or series (lab vm hosts: 6.1, 6.12, 6.1.0-44), ...")
        String kernel;

        @Option(names = "--cmdline-add", paramLabel = "WORD", description = "A word the command line must hold.")
        List<String> add = new ArrayList<>();

        @Option(names = "--cmdline-remove", paramLabel = "WORD",
                description = "A word that must not be on it (key=value exactly, a bare key in any form).")
        List<String> remove = new ArrayList<>();
    }

    @Option(names = "--boot-timeout", paramLabel = "SECONDS", description = "How long the host may take to answer "
            + "SSH after a reboot before lab power-cycles it (default: the boot method's own).")
    Integer bootTimeout;

    @Override
    public Integer call() throws Exception {
        if (hostOptions.hosts.size() != 1) {
            throw new UserError("name one host: --host NAME", ExitCodes.BAD_INPUT);
        }
        String host = hostOptions.hosts.get(0);
        Inventory inventory = hostOptions.loadInventory();
        HostSpec spec = inventory.host(host).orElseThrow(
                () -> new UserError("no host named " + host + " in the inventory", ExitCodes.BAD_INPUT));
        Optional<BootTarget> target = what.toDefault ? Optional.empty() : Optional.of(target(what.target));
        if (bootTimeout != null && bootTimeout < 1) {
            throw new UserError("--boot-timeout must be at least 1", ExitCodes.BAD_INPUT);
        }
        Transports transports = new Transports(inventory, hostOptions.acceptNewHostKeys);
        BootMethods methods = new HostBootMethods(transports,
                Optional.ofNullable(bootTimeout).map(s -> Duration.ofSeconds(s)));
        BootMethod method = methods.of(spec).orElseThrow(() -> new UserError(methods.whyNot(spec),
                ExitCodes.UNMET));
        HostBoot boot = new HostBoot(spec, transports, method, Optional.empty(), new TerminalProgress(System.err));
        if (what.toDefault) {
            Optional<BootTarget> was = boot.labBoot();
            if (was.isEmpty()) {
                System.out.println(host + ": already on its default kernel and command line; nothing done");
                return ExitCodes.OK;
            }
            boot.restoreDefault();
            System.out.println(host + ": was on " + was.get().label() + "; now on its default");
            return ExitCodes.OK;
        }
        HostBoot.Outcome outcome = boot.boot(target.get());
        if (outcome instanceof HostBoot.Outcome.Booted booted) {
            System.out.println(host + ": booted " + booted.seen().release() + ", command line: "
                    + booted.seen().cmdline() + ", boot id " + booted.seen().bootId());
            System.out.println(host + ": stays there; `lab boot --host " + host + " --default` boots its default");
            return ExitCodes.OK;
        }
        System.out.println(host + ": " + target.get().label() + " is untestable here: "
                + ((HostBoot.Outcome.Untestable) outcome).reason());
        System.out.println(host + ": back on its default");
        return ExitCodes.FAILED;
    }

    private static BootTarget target(Target t) {
        if (t == null || t.kernel == null && t.add.isEmpty() && t.remove.isEmpty()) {
            throw new UserError("say what to boot: --kernel K and/or --cmdline-add/--cmdline-remove WORD, or --default",
                    ExitCodes.BAD_INPUT);
        }
        return target(t.kernel, t.add, t.remove);
    }

    /** A boot target from the command line's --kernel, --cmdline-add and --cmdline-remove, checked as plans are. */
    static BootTarget target(String kernel, List<String> add, List<String> remove) {
        if (kernel != null && !BootTarget.KERNEL.matcher(kernel).matches()) {
            throw new UserError("--kernel: not a kernel lab accepts (letters, digits and ._+~:/=- only, not starting "
                    + "with '-'): " + kernel, ExitCodes.BAD_INPUT);
        }
        for (String word : concat(add, remove)) {
            if (!BootTarget.CMDLINE_WORD.matcher(word).matches()) {
                throw new UserError("not one command-line word (printable, without blanks or quotes): " + word,
                        ExitCodes.BAD_INPUT);
            }
        }
        List<KernelCmdline.Conflict> conflicts = KernelCmdline.conflicts(add, remove);
        if (!conflicts.isEmpty()) {
            throw new UserError(conflicts.get(0).word() + " is both added and removed", ExitCodes.BAD_INPUT);
        }
        return new BootTarget(Optional.ofNullable(kernel), add, remove);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
