package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
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

    /** Asks this machine's apt, whose arm64 lists scripts/test sets up (lab vm needs them too). */
    @Test
    void theBuildsOfASeriesComeFromAptOldestFirstOncePerChecksum() throws Exception {
        List<DebianKernelPackages.Build> builds = DebianKernelPackages.matching("6.1.0-*", "aarch64");
        assertTrue(builds.size() >= 8, "the archive keeps a dozen 6.1 builds or so: " + builds);
        for (int i = 1; i < builds.size(); i++) {
            assertTrue(DebianVersion.compare(builds.get(i - 1).version(), builds.get(i).version()) < 0,
                    builds.get(i - 1) + " before " + builds.get(i));
        }
        assertEquals(builds.size(), new HashSet<>(builds.stream().map(DebianKernelPackages.Build::sha256).toList()).size());
        for (DebianKernelPackages.Build b : builds) {
            assertTrue(b.abi().matches("6\\.1\\.0-[0-9]+"), b.toString());
            assertTrue(b.pkg().equals("linux-image-" + b.abi() + "-arm64:arm64")
                    || b.pkg().equals("linux-image-" + b.abi() + "-arm64-unsigned:arm64"), b.toString());
            assertEquals(64, b.sha256().length(), b.toString());
        }
        // a release or package name matches as well as an ABI; nothing of another series does
        assertEquals(builds.get(0).abi(), DebianKernelPackages.matching("linux-image-" + builds.get(0).abi() + "-arm64",
                "aarch64").get(0).abi());
        assertTrue(DebianKernelPackages.matching("6.1.0-*", "aarch64").stream().noneMatch(b -> b.abi().startsWith("6.12")));
        assertEquals(List.of(), DebianKernelPackages.matching("9.9.*", "aarch64"));
    }
}
