package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelCatalogTest {
    @Test
    void ordersAbisByTheirNumbers() {
        List<String> abis = new ArrayList<>(List.of("6.1.0-9", "6.12.117+deb12", "6.1.0-56", "6.12.9+deb12", "6.1.0-47"));
        abis.sort(KernelCatalog.NEWEST_FIRST.reversed());
        assertEquals(List.of("6.12.117+deb12", "6.12.9+deb12", "6.1.0-56", "6.1.0-47", "6.1.0-9"), abis);
    }

    @Test
    void anAbiInTheCacheIsTakenWithoutAskingApt() throws Exception {
        // apt is never asked: this works on a machine without apt, and after the ABI left the archive
        assertEquals("6.1.0-47", KernelCatalog.choose(Optional.of("6.1.0-47"), List.of("6.1.0-56", "6.1.0-47")));
    }

    @Test
    void theImagePackageIsTheUnsignedGenericFlavour() {
        assertEquals("linux-image-6.1.0-56-arm64-unsigned:arm64", KernelCatalog.unsignedPackage("6.1.0-56"));
    }

    @Test
    void theAbiOfAGenericArm64Release() {
        assertEquals(Optional.of("6.1.0-56"), KernelCatalog.abiOf("6.1.0-56-arm64"));
        assertEquals(Optional.of("6.12.117+deb12"), KernelCatalog.abiOf("6.12.117+deb12-arm64"));
        assertEquals(Optional.empty(), KernelCatalog.abiOf("6.1.0-56-rt-arm64"));
        assertEquals(Optional.empty(), KernelCatalog.abiOf("6.1.0-56-amd64"));
        assertEquals("6.1.0-56-arm64", KernelCatalog.releaseOf("6.1.0-56"));
    }
}
