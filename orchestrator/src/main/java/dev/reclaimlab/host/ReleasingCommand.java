package dev.reclaimlab.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/** A started command that runs {@code release} once, after it is closed: gives back what it was started on. */
final class ReleasingCommand implements RunningCommand {
    private final RunningCommand command;
    private final Runnable release;
    private final AtomicBoolean released = new AtomicBoolean();

    ReleasingCommand(RunningCommand command, Runnable release) {
        this.command = command;
        this.release = release;
    }

    @Override
    public InputStream stdout() {
        return command.stdout();
    }

    @Override
    public InputStream stderr() {
        return command.stderr();
    }

    @Override
    public OutputStream stdin() {
        return command.stdin();
    }

    @Override
    public OptionalInt waitFor(long millis) throws IOException, InterruptedException {
        return command.waitFor(millis);
    }

    @Override
    public void kill() {
        command.kill();
    }

    @Override
    public void close() {
        try {
            command.close();
        } finally {
            if (released.compareAndSet(false, true)) {
                release.run();
            }
        }
    }
}
