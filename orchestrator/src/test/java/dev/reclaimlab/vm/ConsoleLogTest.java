package dev.reclaimlab.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleLogTest {
    @TempDir
    Path dir;

    @Test
    void aPanicOrAFailedBootStepIsABootFailure() throws Exception {
        Path log = dir.resolve("console.log");
        ConsoleLog console = new ConsoleLog(log);
        assertEquals(Optional.empty(), console.failure());
        Files.writeString(log, "[    0.0] Booting Linux\r\nlab-vm: booted 6.1.0-56-arm64 in 5.7s\n");
        assertEquals(Optional.empty(), console.failure());
        Files.writeString(log, "[    4.3] Run /init as init process\n[    4.4] Kernel panic - not syncing: "
                + "No working init found.\n[    4.5] ---[ end Kernel panic - not syncing ]---\n");
        assertEquals(Optional.of("[    4.4] Kernel panic - not syncing: No working init found."), console.failure());
        Files.writeString(log, "x\nlab-vm: FAILED: cannot mount the data disk /dev/vda at /data\n");
        assertEquals(Optional.of("lab-vm: FAILED: cannot mount the data disk /dev/vda at /data"), console.failure());
    }

    @Test
    void tailGivesTheLastLines() throws Exception {
        Path log = dir.resolve("console.log");
        ConsoleLog console = new ConsoleLog(log);
        assertEquals("", console.tail(5));
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 100; i++) {
            text.append("line ").append(i).append('\n');
        }
        Files.writeString(log, text);
        assertEquals("line 98\nline 99\nline 100\n", console.tail(3));
        Files.writeString(log, "a\nb");
        assertEquals("a\nb\n", console.tail(3));
        assertTrue(console.tail(1).equals("b\n"));
    }
}
