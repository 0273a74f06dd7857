package dev.reclaimlab.cli;

import dev.reclaimlab.vm.VmException;
import dev.reclaimlab.vm.VmRegistry;
import dev.reclaimlab.vm.Vms;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = {"Stop a VM: the guest is asked over SSH to sync and power off; QEMU is killed (SIGTERM, then "
                + "SIGKILL) if it has not ended within 30s. Its registration, data disk and keys stay for the next "
                + "`lab vm up` unless --delete is given."})
final class VmDownCommand implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME", description = "The VM (default: ${DEFAULT-VALUE}).")
    String name = VmCommand.DEFAULT_NAME;

    @Option(names = "--all", description = "Every registered VM.")
    boolean all;

    @Option(names = "--delete", description = "Also remove the VM's folder: data disk, keys, console logs.")
    boolean delete;

    @Option(names = "--force", description = "Kill QEMU at once, without asking the guest to power off (what the "
            + "guest had not written to its disk yet is lost).")
    boolean force;

    @Override
    public Integer call() throws Exception {
        Vms vms = new Vms(VmRegistry.fromEnvironment(), VmCommand.progress(name));
        List<String> names = all ? vms.registry().names() : List.of(name);
        List<String> failures = new ArrayList<>();
        for (String vm : names) {
            try {
                boolean stopped = vms.down(vm, force || delete);
                if (delete) {
                    vms.delete(vm);
                }
                System.out.printf("%s: %s%s%n", vm, stopped ? "stopped" : "was not running", delete ? ", deleted" : "");
            } catch (VmException e) {
                if (!all) {
                    throw VmCommand.error(e);
                }
                failures.add(vm + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new UserError(String.join("\n", failures), ExitCodes.FAILED);
        }
        return ExitCodes.OK;
    }
}
