package dev.reclaimlab.boot;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;

/**
 * A host's serial console as a file that grows across boots (a lab vm's console.log, a conserver log), cut into the
 * part each boot wrote: a mark before the reboot, a slice after it. The slice is the boot's console, kept by the run
 * and read for panics.
 */
public final class BootConsole {
    /** At most this much of a boot's console is kept for it. */
    private static final long MAX_SLICE = 16L << 20;

    private final Optional<Path> log;
    private final String hostName;
    private Path slice;

    public BootConsole(Optional<Path> log, String hostName) {
        this.log = log;
        this.hostName = hostName;
    }

    /** Where the console is now: a boot that starts after this wrote what follows it. */
    public long mark() {
        try {
            return log.isPresent() && Files.isRegularFile(log.get()) ? Files.size(log.get()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Keeps what the console said from {@code from} to {@code to} (one boot) as that boot's console. */
    public void slice(long from, long to) {
        if (log.isEmpty() || !Files.isRegularFile(log.get())) {
            return;
        }
        try {
            if (slice == null) {
                slice = Files.createTempFile("lab-console-" + hostName + "-", ".log");
                slice.toFile().deleteOnExit();
            }
            try (FileChannel in = FileChannel.open(log.get(), StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(slice, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING)) {
                long end = Math.min(in.size(), to);
                long start = Math.max(Math.min(from, end), end - MAX_SLICE);
                in.transferTo(start, end - start, out);
            }
        } catch (IOException e) {
            slice = null;
        }
    }

    /** A panic's message, registers and call trace fit in this many lines after its first. */
    public static final int LINES_AFTER_PANIC = 40;
    /** The kernel's last words after a panic; what follows is the machine coming back (firmware, a boot loader). */
    private static final java.util.regex.Pattern STAMP = java.util.regex.Pattern.compile("\\[\\s*(\\d+\\.\\d+)\\]");
    private static final byte[] END_OF_PANIC = "---[ end Kernel panic".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * Keeps the slice up to the end of the panic at line {@code panicLine}: its "end Kernel panic" line (a kernel that
     * stays down prints it), or the last line the panicking kernel stamped (with {@code panic=N} the machine restarts
     * at once: firmware and boot loader lines, or a kernel's clock starting again, follow), at most
     * {@link #LINES_AFTER_PANIC} lines on.
     */
    public void cutAfterPanic(long panicLine) {
        if (slice == null) {
            return;
        }
        try {
            byte[] bytes = Files.readAllBytes(slice);
            long lines = 0;
            int lineStart = 0;
            double stamp = Double.NaN;
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != '\n') {
                    continue;
                }
                lines++;
                if (lines == panicLine) {
                    stamp = stamp(bytes, lineStart, i);
                } else if (lines > panicLine) {
                    double next = stamp(bytes, lineStart, i);
                    if (!Double.isNaN(stamp) && (Double.isNaN(next) || next < stamp)) {
                        Files.write(slice, Arrays.copyOf(bytes, lineStart)); // the machine restarting
                        return;
                    }
                    stamp = Double.isNaN(next) ? stamp : next;
                    if (contains(bytes, lineStart, i, END_OF_PANIC) || lines == panicLine + LINES_AFTER_PANIC) {
                        Files.write(slice, Arrays.copyOf(bytes, i + 1));
                        return;
                    }
                }
                lineStart = i + 1;
            }
        } catch (IOException e) {
            // the whole slice stays
        }
    }

    /** The kernel's time stamp that opens a console line ({@code [   15.087816] ...}), or NaN. */
    private static double stamp(byte[] bytes, int from, int to) {
        java.util.regex.Matcher m = STAMP.matcher(new String(bytes, from, Math.min(to - from, 40),
                java.nio.charset.StandardCharsets.ISO_8859_1));
        return m.lookingAt() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static boolean contains(byte[] bytes, int from, int to, byte[] word) {
        outer:
        for (int i = from; i <= to - word.length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (bytes[i + j] != word[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The worst thing the last slice shows, if any. */
    public Optional<ConsoleWatch.Finding> worst() {
        if (slice == null) {
            return Optional.empty();
        }
        try {
            return ConsoleWatch.ofFile(slice).worst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The file the console grows into, where the host has one. */
    public Optional<Path> log() {
        return log;
    }

    /** The last boot's console, once there is one. */
    public Optional<Path> lastBoot() {
        return Optional.ofNullable(slice);
    }
}
