package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DebianKernelPackagesTest {
    @Test
    void aKernelIsNamedByPackageReleaseOrAbiForTheServersArchitecture() {
        assertEquals(Optional.of("arm64"), DebianKernelPackages.debArch("aarch64"));
        assertEquals(Optional.of("amd64"), DebianKernelPackages.debArch("x86_64"));
        assertEquals(Optional.empty(), DebianKernelPackages.debArch("mips"));
        assertEquals(Optional.of("linux-image-6.1.0-44-arm64"),
                DebianKernelPackages.packageName("linux-image-6.1.0-44-arm64", "arm64"));
        assertEquals(Optional.of("linux-image-6.12.57+deb13-arm64"),
                DebianKernelPackages.packageName("6.12.57+deb13-arm64", "arm64"));
        assertEquals(Optional.of("linux-image-6.1.0-44-cloud-amd64"),
                DebianKernelPackages.packageName("6.1.0-44-cloud-amd64", "amd64"), "a flavour as the release says");
        assertEquals(Optional.of("linux-image-6.1.0-44-arm64"), DebianKernelPackages.packageName("6.1.0-44", "arm64"));
        assertEquals(Optional.empty(), DebianKernelPackages.packageName("6.12", "arm64"), "a series: pick an ABI");
        assertEquals(Optional.empty(), DebianKernelPackages.packageName("/srv/k/linux.deb", "arm64"));
        assertEquals(Optional.empty(), DebianKernelPackages.packageName("mykernel", "arm64"));
    }
}
