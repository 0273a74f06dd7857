package dev.reclaimlab.loader;

import dev.reclaimlab.boot.BootException;
import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Power control by a command the lab owner names ({@code ipmitool ... chassis power cycle}, a PDU's CLI), run on the
 * orchestrator as the argv the inventory gives: never through a shell, so nothing in it is interpreted.
 */
public record CommandPower(List<String> argv) implements PowerControl {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** @param argv the program and its arguments (the inventory allows no empty command) */
    public CommandPower {
        argv = List.copyOf(argv);
    }

    /** Only the program's name: its arguments may hold a BMC's address and account, which logs need not show. */
    @Override
    public String describe() {
        return "power_cycle command " + program();
    }

    private String program() {
        return argv.isEmpty() ? "(none)" : java.nio.file.Path.of(argv.get(0)).getFileName().toString();
    }

    @Override
    public void powerCycle(Consumer<String> progress) throws IOException, BootException {
        if (argv.isEmpty()) {
            throw new BootException(BootException.Kind.FAILED, "the power_cycle command is empty");
        }
        HostCommand.Result r = HostCommand.run(argv, TIMEOUT);
        if (!r.ok()) {
            throw new BootException(BootException.Kind.FAILED, "the power_cycle command " + program() + " failed (exit "
                    + r.exit() + "): " + (r.stderr() + r.stdout()).strip());
        }
        progress.accept("power-cycled by " + program());
    }
}
