package dev.reclaimlab.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one command to completion the same way for every transport: pumps its output into sinks on background threads
 * (so a command writing to both stdout and stderr never blocks on a full pipe), feeds its stdin, enforces the timeout
 * and kills it when that passes.
 */
final class CommandRunner {

    /** Starts a command; each transport supplies one. */
    @FunctionalInterface
    interface Launcher {
        RunningCommand start(String command) throws IOException;
    }

    /** After a kill, how long output that was already on its way may still trickle in before we stop reading. */
    private static final long DRAIN_AFTER_KILL_MILLIS = 3_000;
    /** After both output streams ended, how long the exit status may take to arrive when no timeout is left. */
    private static final long EXIT_STATUS_GRACE_MILLIS = 2_000;
    /** How often the exit status is checked while output is still flowing. */
    private static final long POLL_MILLIS = 100;
    /**
     * How long output may stay open after the command itself exited. Longer means a background process it started
     * ({@code monitor &} without redirecting its output) holds the output open; waiting for it would turn a finished
     * step into a timeout, so the result is returned and the process left alone.
     */
    private static final long LINGER_MILLIS = 2_000;
    static final String LINGER_NOTE = "\n[lab: the command exited, but a process it started in the background kept"
            + " its output open; output after that is not captured. Redirect the output of background processes.]\n";
    private static final int CHUNK = 64 * 1024;
    private static final Duration LONGEST_TIMEOUT = Duration.ofDays(365);

    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService IO = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lab-exec-io-" + THREADS.incrementAndGet());
        t.setDaemon(true); // a stuck remote read must never keep the CLI from exiting
        return t;
    });

    private final String hostName;
    private final Launcher launcher;

    /** The shared pool of daemon threads that move command I/O; also for transports' own small background jobs. */
    static ExecutorService io() {
        return IO;
    }

    CommandRunner(String hostName, Launcher launcher) {
        this.hostName = hostName;
        this.launcher = launcher;
    }

    ExecResult exec(String command, Duration timeout, OutputListener listener) throws IOException {
        OutputListener safe = listener == OutputListener.NONE ? listener : new SafeListener(listener);
        OutputCapture out = new OutputCapture(OutputListener.Stream.STDOUT, safe);
        OutputCapture err = new OutputCapture(OutputListener.Stream.STDERR, safe);
        return run(command, timeout, null, out, err, out::text, err);
    }

    ExecResult execToStream(String command, OutputStream stdout, Duration timeout) throws IOException {
        OutputCapture err = new OutputCapture(OutputListener.Stream.STDERR, OutputListener.NONE);
        ByteSink out = stdout::write;
        return run(command, timeout, null, out, err, () -> "", err);
    }

    ExecResult execFromStream(String command, InputStream stdin, Duration timeout) throws IOException {
        OutputCapture out = new OutputCapture(OutputListener.Stream.STDOUT, OutputListener.NONE);
        OutputCapture err = new OutputCapture(OutputListener.Stream.STDERR, OutputListener.NONE);
        return run(command, timeout, stdin, out, err, out::text, err);
    }

    private ExecResult run(String command, Duration timeout, InputStream stdin, ByteSink outSink, ByteSink errSink,
                           Supplier<String> stdoutText, OutputCapture err) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        long start = System.nanoTime();
        Duration limit = timeout.compareTo(LONGEST_TIMEOUT) < 0 ? timeout : LONGEST_TIMEOUT; // no overflow below
        long deadline = start + limit.toNanos();
        RunningCommand running = launcher.start(command);
        Future<?> outPump = null;
        Future<?> errPump = null;
        Future<?> feeder = null;
        try {
            outPump = IO.submit(new Pump(running.stdout(), outSink));
            errPump = IO.submit(new Pump(running.stderr(), errSink));
            if (stdin == null) {
                closeQuietly(running.stdin()); // EOF at once, so a command that reads stdin does not hang
            } else {
                feeder = IO.submit(new Feeder(stdin, running.stdin()));
            }

            OptionalInt exit = OptionalInt.empty();
            long exitedAt = 0;
            boolean outputEnded = false;
            while (System.nanoTime() < deadline) {
                long slice = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
                if (awaitUntil(outPump, slice) && awaitUntil(errPump, slice)) {
                    outputEnded = true;
                    break;
                }
                if (exit.isEmpty()) {
                    exit = running.waitFor(0);
                    exitedAt = System.nanoTime();
                } else if (System.nanoTime() - exitedAt > TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS)) {
                    break; // exited, but something it started in the background still holds its output open
                }
            }
            if (outputEnded && exit.isEmpty()) {
                long left = Math.max(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()), 0);
                // Output ended, so the command is ending too; give the exit status a moment even at the deadline.
                exit = running.waitFor(Math.max(left, EXIT_STATUS_GRACE_MILLIS));
            }
            if (exit.isPresent()) {
                rethrowFeederFailure(feeder);
                String stderr = err.text() + (outputEnded ? "" : LINGER_NOTE);
                return new ExecResult(exit.getAsInt(), stdoutText.get(), stderr, since(start), false);
            }

            running.kill();
            // Keep what the command printed before it died: it usually explains why it hung.
            long drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_AFTER_KILL_MILLIS);
            drainQuietly(outPump, drainDeadline);
            drainQuietly(errPump, drainDeadline);
            Duration took = since(start);
            return new ExecResult(ExecResult.TIMED_OUT, stdoutText.get(), err.text(), took, true);
        } catch (InterruptedException e) {
            running.kill();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while running a command on " + hostName);
        } catch (IOException | RuntimeException e) {
            running.kill();
            throw e;
        } finally {
            // Interrupt a feeder blocked on a full channel window first: sshj cannot close a channel under a writer.
            cancel(feeder);
            running.close();
            cancel(outPump);
            cancel(errPump);
        }
    }

    /**
     * True if {@code pump} finished by {@code deadline}, false if it is still running. A pump that failed is thrown:
     * its sink's exception as is (the caller's stream refused bytes), its source's as a transport failure.
     */
    private static boolean awaitUntil(Future<?> pump, long deadline) throws InterruptedException, IOException {
        long left = deadline - System.nanoTime();
        try {
            pump.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            // A sink failure (e.g. local disk full while downloading) ends the run: the caller cannot take more bytes.
            if (e.getCause() instanceof SinkFailure sink) {
                throw sink.getCause();
            }
            throw asIOException(e.getCause());
        } catch (CancellationException e) {
            return true;
        }
    }

    /**
     * Waits for a pump after a kill. Reading may fail now that the channel is being torn down; that is expected and
     * ignored, but a failing sink (the caller's stream) is still the caller's problem.
     */
    private static void drainQuietly(Future<?> pump, long deadline) throws InterruptedException, IOException {
        try {
            awaitUntil(pump, deadline);
        } catch (IOException e) {
            if (pump.isDone() && !pump.isCancelled()) {
                try {
                    pump.get();
                } catch (ExecutionException ee) {
                    if (ee.getCause() instanceof SinkFailure) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * Surfaces the exception a finished feeder ended with, if reading the caller's input failed. Failing to write is
     * not an error: the command stopped reading its stdin (it exited, or closed it), and its exit code says why.
     */
    private static void rethrowFeederFailure(Future<?> task) throws IOException {
        if (task == null || !task.isDone() || task.isCancelled()) {
            return;
        }
        try {
            task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SinkFailure) {
                return;
            }
            throw asIOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static IOException asIOException(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new IOException(t);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static void cancel(Future<?> task) {
        if (task != null) {
            task.cancel(true);
        }
    }

    private static void closeQuietly(OutputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the command already went away; nothing to send EOF to
        }
    }

    /** Marks an exception thrown by the writing side of a copy, so it is not mistaken for a transport failure. */
    private static final class SinkFailure extends Exception {
        SinkFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /** Copies one output stream of the command into a sink until EOF. */
    private record Pump(InputStream source, ByteSink sink) implements java.util.concurrent.Callable<Void> {
        @Override
        public Void call() throws IOException, SinkFailure {
            byte[] buffer = new byte[CHUNK];
            try (source) {
                int n;
                while ((n = source.read(buffer)) >= 0) {
                    try {
                        sink.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw new SinkFailure(e);
                    }
                }
                try {
                    sink.end();
                } catch (IOException e) {
                    throw new SinkFailure(e);
                }
            }
            return null;
        }
    }

    /** Copies the caller's input into the command's stdin, then closes it so the command sees EOF. */
    private record Feeder(InputStream source, OutputStream stdin) implements java.util.concurrent.Callable<Void> {
        @Override
        public Void call() throws IOException, SinkFailure {
            byte[] buffer = new byte[CHUNK];
            try {
                int n;
                while ((n = source.read(buffer)) >= 0) {
                    try {
                        stdin.write(buffer, 0, n);
                    } catch (IOException e) {
                        throw new SinkFailure(e);
                    }
                }
                try {
                    // flush() first: sshj's close() flushes without waiting for the remote window and then sends
                    // EOF, so whatever did not fit the window at that moment was silently dropped (up to ~18 KB of a
                    // 3 MB stream, seen with OpenSSH and dropbear alike).
                    stdin.flush();
                    stdin.close();
                } catch (IOException e) {
                    throw new SinkFailure(e);
                }
            } finally {
                try {
                    stdin.close();
                } catch (IOException ignored) {
                    // reported above if it mattered
                }
            }
            return null;
        }
    }

    /** Serialises calls to the caller's listener and stops calling one that threw, so output is still drained. */
    static final class SafeListener implements OutputListener {
        private final OutputListener delegate;
        private boolean broken;

        SafeListener(OutputListener delegate) {
            this.delegate = delegate;
        }

        @Override
        public synchronized void line(Stream stream, String line) {
            if (broken) {
                return;
            }
            try {
                delegate.line(stream, line);
            } catch (RuntimeException e) {
                broken = true;
            }
        }
    }
}
