package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AptTest {
    @Test
    void splitsAptCacheShowIntoOneMapPerVersion() {
        String shown = """
                Package: linux-kbuild-6.1
                Version: 6.1.192-2
                Architecture: amd64
                Description: Kbuild infrastructure for Linux 6.1
                 This package provides the kbuild infrastructure.

                Package: linux-kbuild-6.1
                Version: 6.1.176-1
                Architecture: amd64
                """;
        List<Map<String, String>> stanzas = Apt.stanzas(shown);
        assertEquals(2, stanzas.size());
        assertEquals("6.1.192-2", stanzas.get(0).get("Version"));
        assertEquals("Kbuild infrastructure for Linux 6.1\nThis package provides the kbuild infrastructure.",
                stanzas.get(0).get("Description"));
        assertEquals("6.1.176-1", stanzas.get(1).get("Version"));
        assertEquals(List.of(), Apt.stanzas(""));
    }

    @Test
    void aDownloadSpecNamesItsPackage() {
        assertEquals("linux-kbuild-6.1", Apt.packageName("linux-kbuild-6.1:amd64=6.1.192-2"));
        assertEquals("linux-headers-6.1.0-56-common", Apt.packageName("linux-headers-6.1.0-56-common=6.1.192-2"));
        assertEquals("dropbear-bin", Apt.packageName("dropbear-bin:arm64"));
        assertEquals("busybox", Apt.packageName("busybox=1:1.35.0-4"));
        assertEquals("busybox", Apt.packageName("busybox"));
    }
}
