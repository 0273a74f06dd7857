package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A VM's QEMU process: started daemonized, found again through its pid file, stopped. A pid is only trusted when
 * {@code /proc/PID/cmdline} still names this VM's pid file, so a recycled pid is never signalled.
 */
final class QemuProcess {
    private static final Duration START = Duration.ofSeconds(60);

    private QemuProcess() {}

    /**
     * Starts QEMU and returns its pid once it has daemonized. What QEMU says at start goes to {@code qemu.log}.
     *
     * @throws VmException naming QEMU's complaint (a taken port, a missing file, an unknown CPU model)
     */
    static long start(QemuCommand command) throws IOException, VmException {
        VmDir dir = command.dir();
        Files.deleteIfExists(dir.pidFile());
        ProcessBuilder builder = new ProcessBuilder(command.argv())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true)
                .redirectOutput(dir.qemuLog().toFile());
        HostCommand.environment(builder.environment());
        Process process = builder.start();
        try {
            if (!process.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new VmException(VmException.Kind.FAILED, "QEMU did not start within " + START.toSeconds() + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while starting QEMU", e);
        }
        String said = Files.exists(dir.qemuLog()) ? Files.readString(dir.qemuLog(), StandardCharsets.UTF_8).strip() : "";
        if (process.exitValue() != 0) {
            throw new VmException(VmException.Kind.FAILED, "QEMU could not start (exit " + process.exitValue() + ")"
                    + (said.isEmpty() ? "" : ": " + said));
        }
        return find(dir).map(ProcessHandle::pid).orElseThrow(() -> new VmException(VmException.Kind.FAILED,
                "QEMU daemonized but left no running process behind its pid file " + dir.pidFile()
                        + (said.isEmpty() ? "" : ": " + said)));
    }

    /** The VM's running QEMU, if its pid file names a live process that is this VM's QEMU. */
    static Optional<ProcessHandle> find(VmDir dir) {
        try {
            if (!Files.isRegularFile(dir.pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(dir.pidFile()).strip());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(QemuProcess::alive);
            if (handle.isEmpty()) {
                return Optional.empty();
            }
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            String args = new String(cmdline, StandardCharsets.UTF_8).replace('\0', '\n');
            boolean ours = args.contains("\n-pidfile\n" + dir.pidFile() + "\n") || args.endsWith("\n-pidfile\n" + dir.pidFile());
            return ours ? handle : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // no pid file, a half-written one, or the process ended while we looked
        }
    }

    /**
     * Stops the VM's QEMU: SIGTERM (QEMU exits at once; the guest is not shut down, its data disk may need a
     * journal replay next boot), then SIGKILL if it is still there after {@code grace}.
     *
     * @return true if a process was stopped
     */
    static boolean stop(VmDir dir, Duration grace) throws VmException {
        Optional<ProcessHandle> found = find(dir);
        if (found.isEmpty()) {
            return false;
        }
        ProcessHandle qemu = found.get();
        qemu.destroy();
        if (!waitForExit(qemu, grace)) {
            qemu.destroyForcibly();
            if (!waitForExit(qemu, Duration.ofSeconds(10))) {
                throw new VmException(VmException.Kind.FAILED, "QEMU (pid " + qemu.pid() + ") survived SIGKILL");
            }
        }
        return true;
    }

    static boolean waitForExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(process) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return !alive(process);
            }
        }
        return !alive(process);
    }

    /** Alive and not a zombie: a daemonized QEMU's parent is init, which may reap it a moment later. */
    static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }
}
