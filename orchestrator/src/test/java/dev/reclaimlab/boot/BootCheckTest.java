package dev.reclaimlab.boot;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BootCheckTest {
    private static final String BEFORE = "5f0c1a52-0d3e-4a57-9d4e-0c5d7f1e2a11";
    private static final String AFTER = "9b2e7c3d-61aa-4f0e-8e62-3c1d2b4a5e66";

    @Test
    void aBootAsAskedHasNoMismatch() {
        BootExpectation want = new BootExpectation(Optional.of("6.12.57+deb13-arm64"),
                List.of("cgroup.memory=nokmem"), List.of("quiet"));
        BootCheck.Observation seen = new BootCheck.Observation(AFTER + "\n", "6.12.57+deb13-arm64\n",
                "BOOT_IMAGE=/vmlinuz root=UUID=1 ro cgroup.memory=nokmem\n");
        assertEquals(List.of(), BootCheck.mismatches(BEFORE, want, seen));
    }

    @Test
    void everyDifferenceIsSaid() {
        BootExpectation want = new BootExpectation(Optional.of("6.12.57+deb13-arm64"),
                List.of("cgroup.memory=nokmem"), List.of("quiet", "transparent_hugepage"));
        BootCheck.Observation seen = new BootCheck.Observation(BEFORE, "6.1.0-57-arm64",
                "root=/dev/vda ro quiet transparent_hugepage=never");
        assertEquals(List.of("the host did not reboot (boot_id " + BEFORE + " unchanged)",
                "the host runs kernel 6.1.0-57-arm64, not 6.12.57+deb13-arm64",
                "the command line lacks cgroup.memory=nokmem (it is: root=/dev/vda ro quiet"
                        + " transparent_hugepage=never)",
                "the command line still has quiet, which was to be removed",
                "the command line still has transparent_hugepage=never, which was to be removed"),
                BootCheck.mismatches(BEFORE, want, seen));
    }

    @Test
    void commandLineWordsAreSplitAsTheKernelSplitsThem() {
        assertEquals(List.of("root=/dev/vda", "dyndbg=\"file vmscan.c +p\"", "quiet"),
                KernelCmdline.words("  root=/dev/vda  dyndbg=\"file vmscan.c +p\"\tquiet\n"));
        assertEquals("root=/dev/vda ro cgroup.memory=nokmem",
                KernelCmdline.edited("root=/dev/vda quiet ro cgroup.memory=nokmem", List.of("cgroup.memory=nokmem"),
                        List.of("quiet")));
        assertEquals("ro", KernelCmdline.edited("cgroup.memory=nokmem ro", List.of(), List.of("cgroup.memory")));
    }

    @Test
    void aWordBothAddedAndRemovedIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BootExpectation(Optional.empty(),
                List.of("cgroup.memory=nokmem"), List.of("cgroup.memory")));
    }
}
