package dev.reclaimlab.bisect;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostLeaseTest {
    @TempDir
    Path home;

    @Test
    void aSecondBisectOfTheSameHostIsRefusedAndNamesTheFirst() throws Exception {
        try (HostLease first = HostLease.take(home, "arm01", Path.of("bisects/a"))) {
            HostLease.LeaseTakenException e = assertThrows(HostLease.LeaseTakenException.class,
                    () -> HostLease.take(home, "arm01", Path.of("bisects/b")));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains("bisects/a"), e.getMessage());
            HostLease.take(home, "arm02", Path.of("bisects/c")).close(); // another host is free
        }
        HostLease.take(home, "arm01", Path.of("bisects/b")).close(); // released
    }

    @Test
    void aKilledHolderLeavesTheLeaseFree() throws Exception {
        // a JVM of its own takes the lease and is SIGKILLed: the kernel drops its lock, nothing is left to clear
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                home.toString()).redirectErrorStream(true).start();
        try {
            assertTrue(new String(holder.getInputStream().readNBytes(5)).equals("taken"), "the holder took it");
            assertThrows(HostLease.LeaseTakenException.class, () -> HostLease.take(home, "arm01", Path.of("x")));
        } finally {
            holder.destroyForcibly().waitFor();
        }
        HostLease.take(home, "arm01", Path.of("after")).close();
    }

    /** Holds the lease on arm01 until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            HostLease.take(Path.of(args[0]), "arm01", Path.of("holder"));
            System.out.print("taken");
            System.out.flush();
            Thread.sleep(60_000);
        }
    }
}
