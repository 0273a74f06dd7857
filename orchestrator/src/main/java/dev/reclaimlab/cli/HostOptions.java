package dev.reclaimlab.cli;

import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.InventoryLoader;
import dev.reclaimlab.plan.PlanFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    Inventory loadInventory() throws dev.reclaimlab.yaml.ConfigException {
        Path file = inventory;
        if (file == null && System.getenv("LAB_INVENTORY") != null && !System.getenv("LAB_INVENTORY").isBlank()) {
            file = Path.of(System.getenv("LAB_INVENTORY"));
        }
        return file == null ? Inventory.localOnly() : InventoryLoader.load(file);
    }

    /** The hosts to use: --host, else the plan's, else local; each must be in the inventory. */
    List<HostSpec> select(Inventory inventory, PlanFile plan) {
        List<String> names = !hosts.isEmpty() ? hosts
                : !plan.resolved().get(0).hosts().isEmpty() ? plan.resolved().get(0).hosts() : List.of(HostSpec.LOCAL_NAME);
        List<HostSpec> selected = new ArrayList<>();
        for (String name : names) {
            selected.add(inventory.host(name).orElseThrow(() -> new UserError("no host named " + name + " in "
                    + (this.inventory == null ? "the inventory (give one with --inventory)" : this.inventory)
                    + "; known hosts: " + String.join(", ", inventory.hosts().keySet()), ExitCodes.BAD_INPUT)));
        }
        return selected;
    }
}
