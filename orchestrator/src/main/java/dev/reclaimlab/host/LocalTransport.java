package dev.reclaimlab.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The built-in host {@code local}: the machine the orchestrator runs on. Commands go to {@code /bin/sh -c} exactly as
 * they would on a remote host, so a plan behaves the same whether it targets {@code local} or an SSH host.
 */
public final class LocalTransport extends LaunchingTransport {

    /** The name plans use for this machine. */
    public static final String NAME = "local";

    public LocalTransport() {
        this(NAME);
    }

    public LocalTransport(String name) {
        super(name);
    }

    @Override
    RunningCommand launch(String command) throws IOException {
        return LocalCommand.start(command);
    }

    @Override
    public void close() {
        // nothing is held open between commands
    }

    @Override
    public String toString() {
        return "LocalTransport[" + hostName() + "]";
    }

    /** A {@code /bin/sh -c} child process. */
    private static final class LocalCommand implements RunningCommand {
        private static final boolean ARGUMENTS_ARE_UTF8 = argumentCharset().equals(StandardCharsets.UTF_8);

        private final Process process;

        private LocalCommand(Process process) {
            this.process = process;
        }

        static RunningCommand start(String command) throws IOException {
            return new LocalCommand(new ProcessBuilder(argv(command)).start());
        }

        /**
         * {@code /bin/sh -c command}, except when the JVM cannot pass the command's characters: it encodes arguments
         * in the platform charset, which under {@code LANG=C} is ASCII and turns every non-ASCII character into '?'.
         * Then sh gets an ASCII spelling ({@code printf %b} escapes) and decodes the exact UTF-8 bytes itself.
         */
        static List<String> argv(String command) {
            if (ARGUMENTS_ARE_UTF8 || command.chars().allMatch(c -> c < 0x80)) {
                return List.of("/bin/sh", "-c", command);
            }
            StringBuilder ascii = new StringBuilder();
            for (byte b : command.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c == '\\') {
                    ascii.append("\\\\");
                } else if (c < 0x80) {
                    ascii.append((char) c);
                } else {
                    ascii.append(String.format("\\0%03o", c));
                }
            }
            return List.of("/bin/sh", "-c", "__lab_command=$(printf '%b' \"$1\"); shift; eval \"$__lab_command\"",
                    "sh", ascii.toString());
        }

        private static Charset argumentCharset() {
            try {
                return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
            } catch (IllegalArgumentException e) {
                return StandardCharsets.US_ASCII; // unknown: assume the worst and escape
            }
        }

        @Override
        public InputStream stdout() {
            return process.getInputStream();
        }

        @Override
        public InputStream stderr() {
            return process.getErrorStream();
        }

        @Override
        public OutputStream stdin() {
            return process.getOutputStream();
        }

        @Override
        public OptionalInt waitFor(long millis) throws InterruptedException {
            if (process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue()); // the JDK already reports 128+n for death by signal n
            }
            return OptionalInt.empty();
        }

        @Override
        public void kill() {
            // Kill the descendants while the shell itself is still alive: a dead parent's children are re-parented
            // and stop showing up as its descendants. A few passes catch children forked while we were killing.
            for (int pass = 0; pass < 5; pass++) {
                List<ProcessHandle> tree = process.descendants().toList();
                if (tree.isEmpty()) {
                    break;
                }
                tree.forEach(ProcessHandle::destroyForcibly);
            }
            process.destroyForcibly();
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                kill();
            }
            closeQuietly(process.getOutputStream());
            closeQuietly(process.getInputStream());
            closeQuietly(process.getErrorStream());
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the process is gone; nothing useful to report
            }
        }
    }
}
