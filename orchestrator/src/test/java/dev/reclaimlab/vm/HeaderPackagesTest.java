package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderPackagesTest {
    @Test
    void readsTheDependsOfDebiansArm64Headers() {
        // apt-cache show linux-headers-6.1.0-56-arm64:arm64=6.1.192-2
        String field = "linux-headers-6.1.0-56-common (= 6.1.192-2), linux-kbuild-6.1 (>= 6.1.192-2), gcc-12";
        assertEquals(List.of(
                new HeaderPackages.Dependency("linux-headers-6.1.0-56-common", "=", "6.1.192-2"),
                new HeaderPackages.Dependency("linux-kbuild-6.1", ">=", "6.1.192-2"),
                new HeaderPackages.Dependency("gcc-12", null, null)), HeaderPackages.depends(field));
    }

    @Test
    void takesTheFirstAlternativeAndDropsArchitectureQualifiers() {
        assertEquals(List.of(new HeaderPackages.Dependency("linux-kbuild-6.12.38+deb13", ">=", "6.12.38-1"),
                        new HeaderPackages.Dependency("gcc-14", null, null)),
                HeaderPackages.depends("linux-kbuild-6.12.38+deb13:amd64 (>= 6.12.38-1) | linux-kbuild-6.12, gcc-14"));
    }

    @Test
    void theHeadersPackageIsTheArm64OneOfTheRelease() {
        assertEquals("linux-headers-6.1.0-56-arm64:arm64", HeaderPackages.headersPackage("6.1.0-56-arm64"));
    }
}
