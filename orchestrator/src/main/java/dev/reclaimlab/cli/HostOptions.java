package dev.reclaimlab.cli;

import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.InventoryLoader;
import dev.reclaimlab.plan.PlanFile;
import dev.reclaimlab.vm.VmRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options that choose hosts, shared by the subcommands that touch hosts. */
final class HostOptions {
    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
            description = "Inventory of hosts (default: $LAB_INVENTORY; `local` is always there).")
    Path inventory;

    @Option(names = {"-H", "--host"}, paramLabel = "NAME",
            description = "Run on this host (repeatable); overrides the plan's hosts. Default: the plan's hosts, else local.")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--accept-new-host-keys",
            description = "Learn SSH host keys not yet in known_hosts (like ssh's accept-new). Changed keys are always refused.")
    boolean acceptNewHostKeys;

    /** Names of the VMs `lab vm up` registered that this inventory took from the registry (not from a file). */
    private final Set<String> registeredVms = new HashSet<>();
    private VmRegistry registry;

    /**
     * The VMs `lab vm up` registered, then the inventory file ({@code --inventory} or {@code $LAB_INVENTORY}); a host
     * the file names wins over a VM of the same name.
     */
    Inventory loadInventory() throws dev.reclaimlab.yaml.ConfigException {
        Path file = inventory;
        if (file == null && System.getenv("LAB_INVENTORY") != null && !System.getenv("LAB_INVENTORY").isBlank()) {
            file = Path.of(System.getenv("LAB_INVENTORY"));
        }
        Inventory fromFile = file == null ? Inventory.localOnly() : InventoryLoader.load(file);
        Inventory vms = Inventory.localOnly();
        try {
            registry = VmRegistry.fromEnvironment();
            List<String> problems = new ArrayList<>();
            vms = registry.inventory(problems);
            problems.forEach(p -> System.err.println("lab: " + p));
        } catch (IOException e) {
            System.err.println("lab: cannot read the registered VMs: " + e.getMessage());
        }
        vms.hosts().keySet().stream().filter(n -> !n.equals(HostSpec.LOCAL_NAME) && !fromFile.hosts().containsKey(n))
                .forEach(registeredVms::add);
        return vms.with(fromFile);
    }

    /** The hosts to use: --host, else the plan's, else local; each must be in the inventory. */
    List<HostSpec> select(Inventory inventory, PlanFile plan) {
        List<String> names = !hosts.isEmpty() ? hosts
                : !plan.resolved().get(0).hosts().isEmpty() ? plan.resolved().get(0).hosts() : List.of(HostSpec.LOCAL_NAME);
        List<HostSpec> selected = new ArrayList<>();
        for (String name : names) {
            selected.add(inventory.host(name).orElseThrow(() -> new UserError("no host named " + name + " in "
                    + (this.inventory == null ? "the inventory (give one with --inventory, or start a VM with "
                    + "lab vm up --name " + name + ")" : this.inventory)
                    + "; known hosts: " + String.join(", ", inventory.hosts().keySet()), ExitCodes.BAD_INPUT)));
            if (registeredVms.contains(name) && registry.runningPid(name).isEmpty()) {
                throw new UserError("host " + name + " is a VM that is not running; start it with: lab vm up --name "
                        + name, ExitCodes.FAILED);
            }
        }
        return selected;
    }
}
