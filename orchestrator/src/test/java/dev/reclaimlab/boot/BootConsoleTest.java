package dev.reclaimlab.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootConsoleTest {
    @TempDir
    Path dir;

    @Test
    void eachBootGetsWhatTheConsoleSaidDuringItCutAfterAPanicsTrace() throws Exception {
        Path log = Files.writeString(dir.resolve("console.log"), "Linux version 6.1 (the boot before)\n");
        BootConsole console = new BootConsole(Optional.of(log), "h");
        long mark = console.mark();
        Files.writeString(log, "Linux version 6.12\n[ 3.2] Kernel panic - not syncing: VFS: Unable to mount root\n"
                + "[ 3.2] Call trace:\nUEFI firmware\nLinux version 6.1 (the default, back)\n",
                StandardOpenOption.APPEND);
        console.slice(mark, Long.MAX_VALUE);
        ConsoleWatch.Finding panic = console.worst().orElseThrow();
        assertEquals(ConsoleWatch.Kind.PANIC, panic.kind());
        assertEquals(2, panic.line());
        console.cutAfter(panic.line() + 1);
        assertEquals("Linux version 6.12\n[ 3.2] Kernel panic - not syncing: VFS: Unable to mount root\n"
                + "[ 3.2] Call trace:\n", Files.readString(console.lastBoot().orElseThrow()));
    }

    @Test
    void aHostWithoutAConsoleHasNoBootConsole() {
        BootConsole console = new BootConsole(Optional.empty(), "h");
        console.slice(console.mark(), Long.MAX_VALUE);
        assertEquals(Optional.empty(), console.lastBoot());
        assertEquals(Optional.empty(), console.worst());
    }
}
