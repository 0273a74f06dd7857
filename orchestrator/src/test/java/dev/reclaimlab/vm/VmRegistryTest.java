package dev.reclaimlab.vm;

import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;
import dev.reclaimlab.host.VmSettings;
import dev.reclaimlab.local.LabHome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VmRegistryTest {
    @TempDir
    Path home;

    private VmRecord record(String name, String cmdline) {
        return new VmRecord(name, "6.1.0-56", "6.1.0-56-arm64", 2, 1024, "cortex-a57", cmdline, 40022, 8192,
                "2026-11-22T10:00:00Z", null, null, null, List.of());
    }

    @Test
    void aSavedVmIsAnInventoryHostReachingItsGuest() throws Exception {
        VmRegistry registry = new VmRegistry(new LabHome(home));
        registry.save(record("arm01", "cgroup.memory=nokmem \"quoted\" \\ back"));
        assertEquals(List.of("arm01"), registry.names());
        assertEquals(record("arm01", "cgroup.memory=nokmem \"quoted\" \\ back"), registry.record("arm01").orElseThrow());

        HostSpec host = registry.inventory().host("arm01").orElseThrow();
        Path dir = home.resolve("vms/arm01");
        HostKind.Vm vm = (HostKind.Vm) host.kind();
        assertEquals("127.0.0.1", vm.access().address());
        assertEquals(40022, vm.access().port());
        assertEquals("root", vm.access().user());
        assertEquals(List.of(dir.resolve("id_ed25519")), vm.access().identityFiles());
        assertEquals(Optional.of(dir.resolve("known_hosts")), vm.access().knownHosts());
        assertEquals("/data/lab", host.workdir());
        assertEquals(new VmSettings(Optional.of("6.1.0-56"), 2, 1L << 30, "cgroup.memory=nokmem \"quoted\" \\ back",
                Optional.of(dir.resolve("console.log"))), vm.settings());
    }

    @Test
    void aBrokenVmFolderIsNamedAndLeftOut() throws Exception {
        VmRegistry registry = new VmRegistry(new LabHome(home));
        registry.save(record("good", ""));
        registry.save(record("bad", ""));
        Files.writeString(home.resolve("vms/bad/inventory.yaml"), "hosts: [\n");
        List<String> problems = new ArrayList<>();
        Inventory inventory = registry.inventory(problems);
        assertEquals(List.of("local", "good"), List.copyOf(inventory.hosts().keySet()));
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("ignoring VM bad: "), problems.get(0));
    }

    @Test
    void noVmsNoHosts() throws Exception {
        VmRegistry registry = new VmRegistry(new LabHome(home.resolve("nothing-here")));
        assertEquals(List.of(), registry.names());
        assertEquals(List.of("local"), List.copyOf(registry.inventory().hosts().keySet()));
        assertTrue(registry.runningPid("arm01").isEmpty());
    }

    @Test
    void labHomeIsTheEnvironmentsOrUnderTheHomeFolder() {
        assertEquals(Path.of("/srv/lab"), LabHome.from(Map.of("LAB_HOME", "/srv/lab"), Path.of("/home/u")).root());
        assertEquals(Path.of("/home/u/.local/share/lab"), LabHome.from(Map.of(), Path.of("/home/u")).root());
        assertEquals(Path.of("/home/u/.local/share/lab"), LabHome.from(Map.of("LAB_HOME", " "), Path.of("/home/u")).root());
        LabHome h = new LabHome(Path.of("/x"));
        assertEquals(Path.of("/x/vms"), h.vms());
        assertEquals(Path.of("/x/cache/arm64"), h.cache());
    }
}
