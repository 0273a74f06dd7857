package dev.reclaimlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.testing.CapturedStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code lab vm} refuses bad options with exit 2 before it looks at QEMU, apt or any VM. */
class VmCommandTest {
    @RegisterExtension
    final CapturedStreams streams = new CapturedStreams();

    private String errOf(int expectedExit, String... args) {
        streams.reset();
        assertEquals(expectedExit, LabCommand.execute(args), String.join(" ", args));
        return streams.stderr();
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingStarts() {
        assertTrue(errOf(2, "vm", "up", "--cpus", "9").contains("--cpus must be 1..8"));
        assertTrue(errOf(2, "vm", "up", "--memory", "100M").contains("--memory must be a whole number of MiB"));
        assertTrue(errOf(2, "vm", "up", "--memory", "lots").contains("--memory: expected a size"));
        assertTrue(errOf(2, "vm", "up", "--kernel", "latest").contains("--kernel: not a kernel ABI"));
        assertTrue(errOf(2, "vm", "up", "--cmdline", "a\nb").contains("--cmdline must be one line"));
        assertTrue(errOf(2, "vm", "up", "--cpu", "-x").contains("--cpu: not a QEMU CPU model"));
        assertTrue(errOf(2, "vm", "up", "--name", "../etc").contains("invalid VM name"));
        assertTrue(errOf(2, "vm", "up", "--name", "local").contains("'local' is this machine"));
        assertTrue(errOf(2, "vm", "down", "--name", "no-such-vm-" + ProcessHandle.current().pid())
                .contains("no VM named"));
        assertTrue(errOf(2, "vm", "console", "--name", "no-such-vm-" + ProcessHandle.current().pid())
                .contains("no VM named"));
    }
}
