package dev.reclaimlab.kmod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KernelReleaseTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "6.1.0-56-arm64, 6, 1, 0, arm64",
        "4.18.0-372.19.1.el8_6.aarch64, 4, 18, 0, arm64",
        "6.6.0-28.0.0.34.oe2403.aarch64, 6, 6, 0, arm64",
        "6.18.44-fc-v595, 6, 18, 44, ",
        "6.12.107+deb13-arm64-16k, 6, 12, 107, arm64",
        "5.15.0-105-generic, 5, 15, 0, ",
        "5.14.0-427.13.1.el9_4.x86_64, 5, 14, 0, x86_64",
        "6.1.0-56-amd64, 6, 1, 0, x86_64",
        "7.3-rc1, 7, 3, 0, ",
        "5.10, 5, 10, 0, ",
        "6.8.0+, 6, 8, 0, ",
    })
    void parsesWhatUnameRPrints(String release, int major, int minor, int patch, String arch) {
        KernelRelease k = KernelRelease.parse(release);
        assertEquals(release, k.release());
        assertEquals(major, k.major());
        assertEquals(minor, k.minor());
        assertEquals(patch, k.patch());
        assertEquals(major + "." + minor, k.series());
        assertEquals(Optional.ofNullable(arch), k.archFromRelease());
    }

    @Test
    void stripsTheNewlineOfCommandOutput() {
        KernelRelease k = KernelRelease.parse("6.1.0-56-arm64\n");
        assertEquals("6.1.0-56-arm64", k.release());
        assertEquals("6.1.0-56-arm64", k.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"linux", "6", "6.", "v6.1.0", "6.x.0", "6.1x", "-6.1.0", "6,1,0"})
    void refusesWhatIsNotARelease(String text) {
        var e = assertThrows(IllegalArgumentException.class, () -> KernelRelease.parse(text));
        assertTrue(e.getMessage().startsWith("not a kernel release: \"" + text + "\""), e.getMessage());
        assertTrue(e.getMessage().contains("uname -r"), e.getMessage());
    }

    @Test
    void refusesNothing() {
        assertThrows(IllegalArgumentException.class, () -> KernelRelease.parse(null));
        var e = assertThrows(IllegalArgumentException.class, () -> KernelRelease.parse("  "));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    @Test
    void comparesSeriesOnly() {
        KernelRelease k = KernelRelease.parse("6.1.192-2");
        assertEquals(0, Integer.signum(k.compareSeries(6, 1)));
        assertEquals(1, Integer.signum(k.compareSeries(6, 0)));
        assertEquals(1, Integer.signum(k.compareSeries(5, 19)));
        assertEquals(-1, Integer.signum(k.compareSeries(6, 2)));
        assertEquals(-1, Integer.signum(k.compareSeries(7, 0)));
    }

    @ParameterizedTest
    @CsvSource({"aarch64, arm64", "arm64, arm64", "x86_64, x86_64", "amd64, x86_64", "' AArch64\n', arm64",
        "riscv64, riscv64", "mips64, mips64"})
    void normalizesMachineNames(String machine, String arch) {
        assertEquals(arch, KernelRelease.normalizeArch(machine));
    }
}
