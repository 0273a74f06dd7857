package dev.reclaimlab.cli;

import dev.reclaimlab.vm.VmException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lab vm}: emulated ARM64 test hosts (a Debian arm64 kernel under QEMU), reached over SSH like any host. */
@Command(name = "vm", mixinStandardHelpOptions = true,
        description = {"Emulated ARM64 test hosts: a real Debian arm64 kernel under qemu-system-aarch64, reached over "
                + "SSH on a loopback port.",
                "A VM that `lab vm up` started is a host of every inventory: lab run PLAN --host NAME."},
        subcommands = {VmUpCommand.class, VmListCommand.class, VmDownCommand.class, VmResetCommand.class,
                VmConsoleCommand.class,
                CommandLine.HelpCommand.class})
final class VmCommand implements Runnable {
    /** Used when --name is not given, so the common one-VM case needs no name. */
    static final String DEFAULT_NAME = "arm01";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A VM problem as the one-line error and exit code every lab command uses. */
    static UserError error(VmException e) {
        int exit = switch (e.kind()) {
            case BAD_INPUT -> ExitCodes.BAD_INPUT;
            case MISSING -> ExitCodes.UNMET;
            case FAILED -> ExitCodes.FAILED;
        };
        return new UserError(e.getMessage(), exit);
    }

    /** Progress lines on stderr, prefixed with the VM's name like the run's progress is with the host's. */
    static java.util.function.Consumer<String> progress(String name) {
        return line -> System.err.printf("[%s] %s%n", name, line);
    }
}
