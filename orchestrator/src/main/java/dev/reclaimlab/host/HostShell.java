package dev.reclaimlab.host;

import dev.reclaimlab.shell.Sh;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One long-lived {@code sh} on a host that runs many short commands, each in a subshell, and frames their results
 * (the host side is {@code host/shell.sh}). A command costs a fork there and a write here instead of a new SSH session,
 * whose login alone takes ~100 ms on loopback; and since commands can be {@link #submit submitted} before the ones
 * ahead of them finish, a batch of steps costs one round trip on a slow link instead of one per step. A
 * {@linkplain Mode#CHAINED chained} command runs only if the one before it exited 0, so a failed step still stops the
 * steps sent after it.
 *
 * <p>What {@link Transport#exec} promises holds per command: exit code, stdout and stderr apart (capped the same
 * way), a listener for lines as they come, and a timeout after which the command and everything it started is killed
 * (the shell itself stays). Commands get an empty stdin; commands that need one, and downloads, use the transport.
 *
 * <p>Commands must be awaited in the order they were submitted: a command's time limit starts when the one before it
 * ended. Not for concurrent use.
 */
public final class HostShell implements AutoCloseable {

    /** Whether a command starts a new chain and runs whatever came before it, or runs only if its chain is whole. */
    public enum Mode { ALWAYS, CHAINED }

    /** How long a command killed at its timeout may take to be reported ended by the shell before it is given up. */
    private static final Duration KILL_GRACE = Duration.ofSeconds(10);
    private static final Duration KILL_COMMAND_TIMEOUT = Duration.ofSeconds(15);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String SCRIPT = withoutComments(HostScripts.load("/host/shell.sh"));
    private static final int CHUNK = 64 * 1024;

    private final Transport transport;
    private final RunningCommand running;
    private final String token;
    private final OutputStream commands;
    private final CompletableFuture<Long> pid = new CompletableFuture<>();
    /** Commands whose stdout (resp. stderr) frame has not arrived yet, oldest first; guarded by this. */
    private final ArrayDeque<Pending> awaitingOut = new ArrayDeque<>();
    private final ArrayDeque<Pending> awaitingErr = new ArrayDeque<>();
    private final List<Pending> unfinished = new ArrayList<>();
    private long nextSeq = 1;
    private Pending last;
    /** Why the shell can take no more commands; null while it can. Guarded by this. */
    private IOException broken;

    private HostShell(Transport transport, RunningCommand running, String token) {
        this.transport = transport;
        this.running = running;
        this.token = token;
        this.commands = running.stdin();
    }

    /**
     * Starts the shell on {@code transport}'s host, which first runs {@code preamble} (e.g. sourcing the run's
     * lib.sh). Returns at once: commands can be submitted before the host has answered.
     */
    static HostShell start(LaunchingTransport transport, String preamble) throws IOException {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String token = "lab-shell-" + HexFormat.of().formatHex(random);
        RunningCommand running = transport.launch(Sh.command("sh", "-c", SCRIPT, "lab-shell", token, preamble));
        HostShell shell = new HostShell(transport, running, token);
        CommandRunner.io().submit(() -> shell.read(running.stdout(), true));
        CommandRunner.io().submit(() -> shell.read(running.stderr(), false));
        return shell;
    }

    /** The host the shell runs on. */
    public String hostName() {
        return transport.hostName();
    }

    /** True while the shell takes commands: it has not been closed, and neither it nor its connection ended. */
    public synchronized boolean usable() {
        return broken == null;
    }

    /**
     * Sends {@code command} to the shell without waiting for it. The returned handle's {@link Pending#await} waits
     * for its result; {@code listener} gets its output's lines as they arrive. A {@code tolerant} command's failure
     * does not stop the chained commands after it.
     */
    public synchronized Pending submit(String command, Duration timeout, OutputListener listener, Mode mode,
                                       boolean tolerant) throws IOException {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (broken != null) {
            throw new IOException(broken.getMessage(), broken);
        }
        if (command.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell command cannot contain NUL");
        }
        Pending pending = new Pending(nextSeq++, timeout, listener, last);
        StringBuilder frame = new StringBuilder(command.length() + 128)
                .append(token).append(" run ").append(pending.seq).append(' ')
                .append(mode == Mode.CHAINED ? "chained" : "always").append(tolerant ? " tolerant\n" : "\n")
                .append(command);
        if (!command.endsWith("\n")) {
            frame.append('\n');
        }
        frame.append(token).append(" end\n");
        awaitingOut.add(pending);
        awaitingErr.add(pending);
        unfinished.add(pending);
        last = pending;
        try {
            commands.write(frame.toString().getBytes(StandardCharsets.UTF_8));
            commands.flush();
        } catch (IOException e) {
            fail(new IOException(hostName() + ": the step shell's connection failed: " + e.getMessage(), e));
            throw broken;
        }
        return pending;
    }

    /** Runs {@code command} on its own (a chain of one) and waits for it. */
    public ExecResult run(String command, Duration timeout, OutputListener listener) throws IOException {
        return submit(command, timeout, listener, Mode.ALWAYS, false).await().orElseThrow();
    }

    /**
     * Ends the shell: a command still running is killed with what it started, the shell is told to exit and its
     * channel closed. Commands not yet awaited fail with an IOException.
     */
    @Override
    public void close() {
        boolean busy;
        synchronized (this) {
            busy = !unfinished.isEmpty();
            if (broken == null) {
                broken = new IOException(hostName() + ": the step shell was closed");
            }
        }
        failUnfinished(); // first: a command's end that the kill below brings about is no result
        if (busy) {
            killRunningCommand();
        }
        try {
            commands.write((token + " bye\n").getBytes(StandardCharsets.UTF_8));
            commands.flush();
            commands.close();
        } catch (IOException | RuntimeException ignored) {
            // the shell or its connection is gone already
        }
        running.close();
    }

    /** One submitted command. */
    public final class Pending {
        private final long seq;
        private final Duration timeout;
        private final OutputCapture out;
        private final OutputCapture err;
        /** The command before it, until this one's result is known; then let go, or a run's commands would chain. */
        private Pending previous;
        private final long submittedNanos = System.nanoTime();
        private final CompletableFuture<String> status = new CompletableFuture<>();
        private boolean outEnded;
        private boolean errEnded;
        private String outStatus;
        private volatile long endedNanos;
        private Optional<ExecResult> result;

        private Pending(long seq, Duration timeout, OutputListener listener, Pending previous) {
            this.seq = seq;
            this.timeout = timeout;
            OutputListener safe = listener == OutputListener.NONE ? listener : new CommandRunner.SafeListener(listener);
            this.out = new OutputCapture(OutputListener.Stream.STDOUT, safe);
            this.err = new OutputCapture(OutputListener.Stream.STDERR, safe);
            this.previous = previous;
        }

        /**
         * Waits for the command's result; empty if it was chained to a command that failed and so did not run. Its
         * time limit counts from when the command before it ended: past it, the command and everything it started is
         * killed and the result says {@link ExecResult#timedOut()}.
         *
         * @throws IOException if the shell or its connection ended first, so nothing is known about the command
         */
        public Optional<ExecResult> await() throws IOException {
            if (result != null) {
                return result;
            }
            if (previous != null && previous.result == null) {
                previous.await();
            }
            long startNanos = Math.max(submittedNanos, previous == null ? 0 : previous.endedNanos);
            previous = null;
            long deadline = startNanos + Math.min(timeout.toNanos(), Duration.ofDays(365).toNanos());
            String code = waitForStatus(deadline);
            boolean timedOut = false;
            if (code == null) {
                killRunningCommand();
                code = waitForStatus(System.nanoTime() + KILL_GRACE.toNanos());
                timedOut = true;
                if (code == null) {
                    IOException e = new IOException(hostName() + ": the step shell did not end a command it was told"
                            + " to kill within " + ReadableDuration.of(KILL_GRACE) + "; it is given up");
                    fail(e);
                    running.kill();
                    running.close();
                    throw e;
                }
            }
            if (!timedOut && code.equals("skipped")) {
                result = Optional.empty();
                return result;
            }
            long took = (timedOut ? System.nanoTime() : endedNanos) - startNanos;
            int exit = timedOut ? ExecResult.TIMED_OUT : Integer.parseInt(code);
            result = Optional.of(new ExecResult(exit, out.text(), err.text(), Duration.ofNanos(took), timedOut));
            return result;
        }

        /** The command's status as the shell reported it, or null if none came by {@code deadline}. */
        private String waitForStatus(long deadline) throws IOException {
            try {
                return status.get(Math.max(deadline - System.nanoTime(), 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return null;
            } catch (ExecutionException e) {
                IOException cause = e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                throw new IOException(cause.getMessage(), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a command on " + hostName());
            }
        }

        /** Called under the shell's lock when one of the command's streams has its end frame. */
        private void streamEnded(boolean stdout, String code) {
            if (stdout) {
                outEnded = true;
                outStatus = code;
                out.end();
            } else {
                errEnded = true;
                err.end();
            }
            if (outEnded && errEnded) {
                endedNanos = System.nanoTime();
                unfinished.remove(this);
                status.complete(outStatus);
            }
        }
    }

    /** Kills what the shell runs now (its children), sparing the shell; best effort. */
    private void killRunningCommand() {
        long shellPid;
        try {
            shellPid = pid.get(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return; // never started, or no longer there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            transport.exec(Sh.command("sh", "-c", HostScripts.killTree(), "lab-kill", Long.toString(shellPid), token,
                    "children"), KILL_COMMAND_TIMEOUT);
        } catch (IOException | RuntimeException ignored) {
            // the connection is gone; so is, soon, the shell with its commands
        }
    }

    // --- reading the shell's two streams -------------------------------------------------------------------------

    /** Splits one of the shell's streams into the commands' output and the shell's frames, until it ends. */
    private Void read(InputStream stream, boolean stdout) {
        byte[] prefix = ("\n" + token + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[CHUNK];
        byte[] data = new byte[CHUNK + prefix.length];
        StringBuilder frame = null;
        int matched = 0;
        try (stream) {
            int n;
            while ((n = stream.read(buffer)) >= 0) {
                int dataLength = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (frame != null) {
                        if (b == '\n') {
                            deliver(stdout, data, dataLength);
                            dataLength = 0;
                            frame(stdout, frame.toString());
                            frame = null;
                        } else if (frame.length() < 200) {
                            frame.append((char) (b & 0xff));
                        }
                    } else if (b == prefix[matched]) {
                        if (++matched == prefix.length) {
                            frame = new StringBuilder();
                            matched = 0;
                        }
                    } else {
                        System.arraycopy(prefix, 0, data, dataLength, matched); // a near miss was output after all
                        dataLength += matched;
                        matched = b == prefix[0] ? 1 : 0;
                        if (matched == 0) {
                            data[dataLength++] = b;
                        }
                    }
                }
                deliver(stdout, data, dataLength);
            }
            if (stdout) {
                // stdout carries the shell's own frames ("broken" before it exits): its end is the one to judge by,
                // not stderr's, which may come first
                fail(new IOException(hostName() + ": the step shell ended" + exitNote()));
            }
        } catch (IOException | RuntimeException e) {
            fail(new IOException(hostName() + ": the step shell's connection failed: " + e.getMessage(), e));
        }
        return null;
    }

    private String exitNote() {
        try {
            java.util.OptionalInt exit = running.waitFor(1_000);
            return exit.isPresent() ? " (exit " + exit.getAsInt() + ")" : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** Output of the command the stream is at; output with no command to own it (a straggler) is dropped. */
    private void deliver(boolean stdout, byte[] data, int length) {
        if (length == 0) {
            return;
        }
        Pending current;
        synchronized (this) {
            current = (stdout ? awaitingOut : awaitingErr).peek();
        }
        if (current != null) {
            (stdout ? current.out : current.err).write(data, 0, length);
        }
    }

    private void frame(boolean stdout, String text) {
        String[] words = text.split(" ");
        switch (words[0]) {
            case "ready" -> {
                if (words.length == 2 && words[1].matches("\\d{1,10}")) {
                    pid.complete(Long.parseLong(words[1]));
                }
            }
            case "broken" -> fail(new IOException(hostName() + ": the step shell could not start: its preamble"
                    + " failed (exit " + (words.length > 1 ? words[1] : "?") + ")"));
            case "done" -> {
                synchronized (this) {
                    Pending current = (stdout ? awaitingOut : awaitingErr).poll();
                    if (current == null || words.length != 3 || !Long.toString(current.seq).equals(words[1])
                            || !words[2].matches("\\d{1,3}|skipped")) {
                        fail(new IOException(hostName() + ": the step shell's frames are out of order: " + text));
                        return;
                    }
                    current.streamEnded(stdout, words[2]);
                }
            }
            default -> {
                // not ours to understand: a newer shell script, say; ignored
            }
        }
    }

    private void fail(IOException why) {
        synchronized (this) {
            if (broken == null) {
                broken = why;
            }
        }
        pid.completeExceptionally(why);
        failUnfinished();
    }

    private void failUnfinished() {
        List<Pending> left;
        IOException why;
        synchronized (this) {
            left = List.copyOf(unfinished);
            unfinished.clear();
            awaitingOut.clear();
            awaitingErr.clear();
            why = broken;
        }
        left.forEach(p -> p.status.completeExceptionally(why));
    }

    private static String withoutComments(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("#") && !line.isBlank()) {
                text.append(line).append('\n');
            }
        }
        return text.toString();
    }
}
