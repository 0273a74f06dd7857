package dev.reclaimlab.vm;

import dev.reclaimlab.local.LabHome;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KernelHeadersTest {
    @Test
    void aReleaseThatIsNoDebianArm64KernelIsRefusedBeforeAptIsAsked(@TempDir Path home) {
        KernelHeaders headers = new KernelHeaders(new LabHome(home), line -> { });
        for (String release : new String[] {"6.1.0-56-amd64", "6.1.0-56", "6.1.0-56-cloud-arm64", "../x-arm64"}) {
            VmException e = assertThrows(VmException.class, () -> headers.prepare(release), release);
            assertEquals(VmException.Kind.BAD_INPUT, e.kind());
            assertTrue(e.getMessage().contains(release), e.getMessage());
        }
        assertTrue(Files.notExists(home.resolve("cache")), "nothing is written for a bad release");
    }

    @Test
    void pathsMakeCannotHandleAreRefusedWithWhatToDo(@TempDir Path dir) throws Exception {
        KernelHeaders.requireUsablePath(dir.resolve("lab/cache"));
        VmException e = assertThrows(VmException.class, () -> KernelHeaders.requireUsablePath(dir.resolve("my lab")));
        assertEquals(VmException.Kind.BAD_INPUT, e.kind());
        assertTrue(e.getMessage().contains("LAB_HOME"), e.getMessage());
    }
}
