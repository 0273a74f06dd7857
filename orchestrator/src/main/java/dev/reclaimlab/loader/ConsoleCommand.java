package dev.reclaimlab.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command that prints a host's serial console as it comes ({@code ipmitool -I lanplus ... sol activate}, a
 * conserver client), run on the orchestrator while lab boots the host, its output appended to a log that grows
 * across boots like a conserver log. The command is started as the inventory's argv (no shell) with no input; what it
 * prints on stderr goes to the log too, so a refused login is seen there.
 */
final class ConsoleCommand {
    private final List<String> argv;
    private final Path log;
    private Process process;

    ConsoleCommand(List<String> argv, Path log) {
        this.argv = List.copyOf(argv);
        this.log = log;
    }

    Path log() {
        return log;
    }

    /** Starts the command, if it is not running; a command that cannot start leaves the boot without a console. */
    void start() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** Stops the command and whatever it started, and waits until they are gone. */
    void stop() {
        if (process == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                p.destroyForcibly();
            } catch (ExecutionException e) {
                // gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        process = null;
    }
}
