package dev.reclaimlab.cli;

import dev.reclaimlab.vm.VmException;
import dev.reclaimlab.vm.VmRegistry;
import dev.reclaimlab.vm.Vms;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reset", mixinStandardHelpOptions = true,
        description = {"Power-cycle a VM made with --grub, as a BMC resets a server: QEMU is killed and started again "
                + "on the same disks, and the firmware and GRUB boot what GRUB's environment says (its default, "
                + "unless a one-time entry is pending). Returns without waiting for SSH.",
                "It is what lab's boot control does to a GRUB VM that hangs, and what an inventory's power_cycle "
                        + "command can call for a GRUB VM reached as an SSH host."})
final class VmResetCommand implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME", description = "The VM (default: ${DEFAULT-VALUE}).")
    String name = VmCommand.DEFAULT_NAME;

    @Override
    public Integer call() throws Exception {
        try {
            new Vms(VmRegistry.fromEnvironment(), VmCommand.progress(name)).powerCycle(name);
        } catch (VmException e) {
            throw VmCommand.error(e);
        }
        System.out.println(name + ": reset");
        return ExitCodes.OK;
    }
}
