package dev.reclaimlab.step;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Who runs a run, as its journal on the host records it: so {@code lab cleanup} and other runs can say whose run is
 * live there, and a person can find that orchestrator.
 *
 * @param orchestrator the orchestrator machine's host name
 * @param pid          the orchestrator's process id
 * @param started      when the run started (ISO-8601, seconds)
 */
public record Owner(String orchestrator, long pid, String started) {

    /** This process. */
    public static Owner thisProcess() {
        String host;
        try {
            // The kernel's own name for the machine: no resolver (InetAddress.getLocalHost costs every lab start ~8 ms)
            host = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException | RuntimeException e) {
            host = "";
        }
        if (host.isEmpty()) {
            host = "unknown";
        }
        return new Owner(host.replaceAll("[^A-Za-z0-9._-]", "_"), ProcessHandle.current().pid(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    }

    /** The owner record's first line: {@code orchestrator=lab01 pid=4242 started=2026-12-01T10:34:45Z}. */
    public String line() {
        return "orchestrator=" + orchestrator + " pid=" + pid + " started=" + started;
    }
}
