package dev.reclaimlab.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalInt;

/**
 * One started command, as each kind of transport exposes it to {@link CommandRunner}, which owns everything that is
 * the same for all of them: pumping, capping, timeouts.
 */
interface RunningCommand extends AutoCloseable {

    InputStream stdout();

    InputStream stderr();

    OutputStream stdin();

    /**
     * Waits up to {@code millis} for the command to end, after its output streams have ended.
     *
     * @return its exit code ({@code 128 + n} if killed by signal n), or empty if it is still running
     * @throws IOException if the transport failed, so the exit status will never be known
     */
    OptionalInt waitFor(long millis) throws IOException, InterruptedException;

    /** Kills the command and everything it started. Best effort: never throws, may take a few seconds. */
    void kill();

    /** Releases the channel or process handles; unblocks any pump still reading. Never throws. */
    @Override
    void close();
}
