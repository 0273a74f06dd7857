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
                + "[ 3.2] Call trace:\n[ 3.2] ---[ end Kernel panic - not syncing: VFS: Unable to mount root ]---\n"
                + "UEFI firmware\nLinux version 6.1 (the default, back)\n", StandardOpenOption.APPEND);
        console.slice(mark, Long.MAX_VALUE);
        ConsoleWatch.Finding panic = console.worst().orElseThrow();
        assertEquals(ConsoleWatch.Kind.PANIC, panic.kind());
        assertEquals(2, panic.line());
        console.cutAfterPanic(panic.line());
        assertEquals("Linux version 6.12\n[ 3.2] Kernel panic - not syncing: VFS: Unable to mount root\n"
                + "[ 3.2] Call trace:\n[ 3.2] ---[ end Kernel panic - not syncing: VFS: Unable to mount root ]---\n",
                Files.readString(console.lastBoot().orElseThrow()));
    }

    @Test
    void aPanicThatRestartsTheMachineAtOnceEndsAtItsKernelsLastStampedLine() throws Exception {
        Path log = Files.writeString(dir.resolve("console.log"), "");
        BootConsole console = new BootConsole(Optional.of(log), "h");
        String panic = "[   15.0878] Kernel panic - not syncing: sysrq triggered crash\n[   15.0886] Call trace:\n"
                + "[   15.0914] Memory Limit: none\n";
        Files.writeString(log, panic + "UEFI firmware (version  built at 13:10:49)\nWelcome to GRUB!\n");
        console.slice(0, Long.MAX_VALUE);
        console.cutAfterPanic(1);
        assertEquals(panic, Files.readString(console.lastBoot().orElseThrow()), "not the firmware's lines");

        Files.writeString(log, panic + "[    0.000000] Booting Linux on physical CPU 0x0\n");
        console.slice(0, Long.MAX_VALUE);
        console.cutAfterPanic(1);
        assertEquals(panic, Files.readString(console.lastBoot().orElseThrow()), "not the next kernel's lines");
    }

    @Test
    void aPanicWithoutItsEndLineIsKeptWithAtMostFortyLinesAfterIt() throws Exception {
        Path log = Files.writeString(dir.resolve("console.log"), "");
        BootConsole console = new BootConsole(Optional.of(log), "h");
        StringBuilder text = new StringBuilder("[ 1.0] Kernel panic - not syncing: Attempted to kill init!\n");
        for (int i = 1; i <= 100; i++) {
            text.append("[ 1.0] line ").append(i).append('\n');
        }
        Files.writeString(log, text);
        console.slice(0, Long.MAX_VALUE);
        console.cutAfterPanic(1);
        assertEquals(1 + BootConsole.LINES_AFTER_PANIC, Files.readAllLines(console.lastBoot().orElseThrow()).size());
    }

    @Test
    void aHostWithoutAConsoleHasNoBootConsole() {
        BootConsole console = new BootConsole(Optional.empty(), "h");
        console.slice(console.mark(), Long.MAX_VALUE);
        assertEquals(Optional.empty(), console.lastBoot());
        assertEquals(Optional.empty(), console.worst());
    }
}
