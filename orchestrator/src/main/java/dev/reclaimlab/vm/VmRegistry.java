package dev.reclaimlab.vm;

import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.InventoryLoader;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.local.LabHome;
import dev.reclaimlab.local.Trees;
import dev.reclaimlab.yaml.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The VMs {@code lab vm up} registered, one folder each under {@code $LAB_HOME/vms} (see {@link VmDir}). Each folder
 * holds the VM's own inventory entry, so every command that reads an inventory also knows the VMs.
 */
public final class VmRegistry {
    /** The inventory's host name rule. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    /** The guest's work directory: on the ext4 data disk, because pages of the in-memory root cannot be reclaimed. */
    public static final String WORKDIR = "/data/lab";

    private final LabHome home;

    public VmRegistry(LabHome home) {
        this.home = home;
    }

    public static VmRegistry fromEnvironment() {
        return new VmRegistry(LabHome.fromEnvironment());
    }

    public LabHome home() {
        return home;
    }

    VmDir dir(String name) {
        return new VmDir(home.vms().resolve(name));
    }

    /** Names of registered VMs, sorted. */
    public List<String> names() throws IOException {
        if (!Files.isDirectory(home.vms())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(home.vms())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("vm.json")))
                    .map(d -> d.getFileName().toString()).filter(n -> NAME.matcher(n).matches()).sorted().toList();
        }
    }

    public Optional<VmRecord> record(String name) throws IOException {
        Path file = dir(name).record();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(Json.mapper().readValue(file.toFile(), VmRecord.class));
    }

    /** The pid of the VM's QEMU, if it runs. */
    public Optional<Long> runningPid(String name) {
        return QemuProcess.find(dir(name)).map(ProcessHandle::pid);
    }

    /** Where the VM's serial console is logged. */
    public Path consoleLog(String name) {
        return dir(name).console();
    }

    /** Writes vm.json and the inventory entry that points lab at this VM. */
    void save(VmRecord record) throws IOException {
        VmDir dir = dir(record.name());
        Trees.write(dir.record(), Json.mapper().writeValueAsBytes(record));
        Trees.write(dir.inventory(), inventoryEntry(record).getBytes(StandardCharsets.UTF_8));
    }

    /** The VM as an inventory host: root over the loopback port, its own key and known_hosts, work dir on /data. */
    static String inventoryEntry(VmRecord r) throws IOException {
        return "# Written by `lab vm up --name " + r.name() + "`; every lab command merges it into its inventory.\n"
                + "hosts:\n"
                + "  " + r.name() + ":\n"
                + "    address: 127.0.0.1\n"
                + "    port: " + r.sshPort() + "\n"
                + "    user: root\n"
                + "    identity: id_ed25519\n"
                + "    known_hosts: known_hosts\n"
                + "    workdir: " + WORKDIR + "\n"
                + "    vm:\n"
                + "      kernel: " + r.kernel() + "\n"
                + "      cpus: " + r.cpus() + "\n"
                + "      memory: " + r.memoryMib() + "M\n"
                // a JSON string is a valid YAML double-quoted scalar, whatever the command line holds
                + "      cmdline: " + Json.mapper().writeValueAsString(r.cmdline()) + "\n"
                + "      console: console.log\n";
    }

    /**
     * Every registered VM as an inventory host. A VM folder whose entry cannot be read is left out and named in
     * {@code problems}, so one broken folder does not stop every lab command.
     */
    public Inventory inventory(List<String> problems) throws IOException {
        Map<String, HostSpec> hosts = new LinkedHashMap<>();
        for (String name : names()) {
            Path file = dir(name).inventory();
            try {
                InventoryLoader.load(file).host(name).ifPresent(h -> hosts.put(name, h));
            } catch (ConfigException e) {
                problems.add("ignoring VM " + name + ": " + e.getMessage());
            }
        }
        return new Inventory(hosts);
    }

    public Inventory inventory() throws IOException {
        return inventory(new ArrayList<>());
    }

    /** Removes the VM's folder: disk, keys, logs. It must not be running. */
    void delete(String name) throws IOException {
        Trees.delete(dir(name).root());
    }
}
