package dev.reclaimlab.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandBootMethodTest {
    @Test
    void aSelectCommandNamesTheReleaseOnALineOfItsOwnAndTheLastOneCounts() {
        assertEquals(Optional.of("6.12.118+deb12-arm64"), CommandBootMethod.release(
                "copied vmlinuz to tftp/node7\nrelease=6.1.0-44-arm64\nrelease=6.12.118+deb12-arm64\n"));
        assertEquals(Optional.empty(), CommandBootMethod.release("selected entry 3\n"));
        assertEquals(Optional.empty(), CommandBootMethod.release("the release=6.1 is old\n"), "not a line of its own");
        assertEquals(Optional.empty(), CommandBootMethod.release("release=$(reboot)\n"), "not a kernel lab accepts");
    }
}
