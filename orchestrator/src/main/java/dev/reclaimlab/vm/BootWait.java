package dev.reclaimlab.vm;

import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.SshTarget;
import dev.reclaimlab.host.SshTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * Waits until a booting VM answers SSH, logging in the way every later command will (its key, its pinned host key).
 * Gives up early when QEMU exits (a panic ends it, see {@link QemuCommand#BASE_CMDLINE}) or the console shows a failed
 * boot step, and always says why with the end of the console log.
 */
final class BootWait {
    private static final long POLL_MILLIS = 250;
    private static final int CONSOLE_LINES = 30;

    private BootWait() {}

    /** Returns the guest's {@code uname -r} once a command ran over SSH. */
    static String await(ProcessHandle qemu, int port, SshTarget target, ConsoleLog console, Duration timeout)
            throws VmException, IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastError = "SSH did not answer";
        while (System.nanoTime() < deadline) {
            if (!QemuProcess.alive(qemu)) {
                throw failed("QEMU exited during the boot" + console.failure().map(f -> " (" + f + ")").orElse(""),
                        console);
            }
            Optional<String> failure = console.failure();
            if (failure.isPresent()) {
                throw failed("the boot failed: " + failure.get(), console);
            }
            // The port forward accepts connections before the guest listens; only a banner means sshd is there.
            if (banner(port)) {
                try (SshTransport ssh = SshTransport.connect(target)) {
                    ExecResult r = ssh.exec("uname -r", Duration.ofSeconds(60));
                    if (r.ok()) {
                        return r.stdout().strip();
                    }
                    lastError = "uname -r over SSH: " + r.outcome() + " " + r.stderr().strip();
                } catch (IOException e) {
                    lastError = e.getMessage();
                }
            }
            sleep();
        }
        throw failed("the VM did not answer SSH within " + timeout.toSeconds() + "s (last: " + lastError + ")", console);
    }

    private static boolean banner(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(2000);
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return line != null && line.startsWith("SSH-");
        } catch (IOException notYet) {
            return false;
        }
    }

    static VmException failed(String why, ConsoleLog console) {
        String tail = console.tail(CONSOLE_LINES);
        return new VmException(VmException.Kind.FAILED, why + "\nconsole log " + console.file()
                + (tail.isBlank() ? " is empty" : ", last lines:\n" + tail.indent(2).stripTrailing()));
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the VM", e);
        }
    }
}
