package dev.reclaimlab.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsoleCommandTest {
    @TempDir
    Path dir;

    @Test
    void whatTheCommandPrintsIsAppendedAcrossBootsAndStopStopsItAndItsChildren() throws Exception {
        Path log = dir.resolve("consoles/h.log");
        Path pid = dir.resolve("child.pid");
        ConsoleCommand console = new ConsoleCommand(List.of("sh", "-c",
                // the child's pid is written before anything is printed: once "oops" shows, the file is there
                "sleep 60 & echo $! > \"$1\"; echo \"boot $0\"; echo oops >&2; wait", "one", pid.toString()), log);
        console.start();
        awaitContains(log, "oops");
        long child = Long.parseLong(Files.readString(pid).strip());
        console.stop();
        assertTrue(ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true), "its sleep was stopped too");

        new ConsoleCommand(List.of("sh", "-c", "echo \"boot $0\"", "two"), log).start();
        awaitContains(log, "boot two");
        assertEquals("boot one\noops\nboot two\n", Files.readString(log));
    }

    private static void awaitContains(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            assertTrue(System.nanoTime() < deadline, "never printed " + text);
            Thread.sleep(20);
        }
    }
}
