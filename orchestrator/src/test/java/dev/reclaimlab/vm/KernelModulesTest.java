package dev.reclaimlab.vm;

import dev.reclaimlab.elf.TestElf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelModulesTest {
    @TempDir
    Path release;

    private void module(String path, String depends, String softdep) throws IOException {
        Path file = release.resolve("kernel").resolve(path);
        Files.createDirectories(file.getParent());
        Files.write(file, TestElf.module(softdep == null ? Map.of("depends", depends)
                : Map.of("depends", depends, "softdep", softdep)));
    }

    private void debianLikeTree() throws IOException {
        module("drivers/virtio/virtio_pci.ko", "virtio_pci_modern_dev,virtio_pci_legacy_dev", null);
        module("drivers/virtio/virtio_pci_modern_dev.ko", "", null);
        module("drivers/virtio/virtio_pci_legacy_dev.ko", "", null);
        module("drivers/block/virtio_blk.ko", "", null);
        module("drivers/net/virtio_net.ko", "net_failover", null);
        module("drivers/net/net_failover.ko", "failover", null);
        module("net/core/failover.ko", "", null);
        module("drivers/char/hw_random/virtio-rng.ko", "", null);
        module("fs/ext4/ext4.ko", "jbd2,mbcache,crc16", "pre: crypto-crc32c");
        module("fs/jbd2/jbd2.ko", "", "pre: crypto-crc32c");
        module("fs/mbcache.ko", "", null);
        module("lib/crc16.ko", "", null);
        module("crypto/crc32c_generic.ko", "", null);
        module("sound/unrelated.ko", "", null);
        Files.writeString(release.resolve("modules.builtin"), "kernel/drivers/virtio/virtio.ko\n"
                + "kernel/drivers/virtio/virtio_ring.ko\n");
    }

    @Test
    void picksWhatTheGuestNeedsWithDependenciesFirst() throws Exception {
        debianLikeTree();
        List<String> order = KernelModules.resolve(release, KernelModules.REQUIRED, KernelModules.OPTIONAL).stream()
                .map(KernelModules.Module::name).toList();
        assertEquals(List.of("virtio_pci_modern_dev", "virtio_pci_legacy_dev", "virtio_pci", "virtio_blk", "failover",
                "net_failover", "virtio_net", "jbd2", "mbcache", "crc16", "ext4", "crc32c_generic", "virtio_rng"), order);
    }

    @Test
    void builtInDependenciesAreLeftOutAndOptionalModulesMayBeMissing() throws Exception {
        module("a.ko", "virtio,b", null);
        module("b-dash.ko", "", null);
        Files.writeString(release.resolve("modules.builtin"), "kernel/drivers/virtio/virtio.ko\n");
        module("sub/b.ko", "", null);
        assertEquals(List.of("b", "a"), KernelModules.resolve(release, List.of("a"), List.of("not_there")).stream()
                .map(KernelModules.Module::name).toList());
    }

    @Test
    void aMissingRequiredModuleIsAClearError() throws Exception {
        module("a.ko", "gone", null);
        VmException e = assertThrows(VmException.class, () -> KernelModules.resolve(release, List.of("a"), List.of()));
        assertTrue(e.getMessage().contains("no module gone"), e.getMessage());
    }

    @Test
    void dependencyCirclesAreRefused() throws Exception {
        module("a.ko", "b", null);
        module("b.ko", "a", null);
        VmException e = assertThrows(VmException.class, () -> KernelModules.resolve(release, List.of("a"), List.of()));
        assertTrue(e.getMessage().contains("circle"), e.getMessage());
    }

    @Test
    void gzipCompressedModulesAreUnpacked() throws Exception {
        Path file = release.resolve("kernel/x.ko.gz");
        Files.createDirectories(file.getParent());
        byte[] plain = TestElf.module(Map.of("depends", ""));
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(plain);
        }
        KernelModules.Module m = KernelModules.resolve(release, List.of("x"), List.of()).get(0);
        assertEquals("x", m.name());
        assertEquals(plain.length, m.bytes().length);
    }
}
