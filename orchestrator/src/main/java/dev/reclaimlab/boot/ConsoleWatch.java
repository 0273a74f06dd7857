package dev.reclaimlab.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a host's console as it comes (a serial log, {@code ipmitool sol}, conserver) and notes what a kernel engineer
 * looks for there: a panic, an oops, a BUG, soft and hard lockups, hung tasks, RCU stalls. Bounded whatever the
 * console prints: lines are cut at {@link #MAX_LINE} bytes, at most {@link #MAX_FINDINGS} findings are kept (the rest
 * counted), and only the last {@link #TAIL_LINES} lines are held, for the report of a boot that failed. Silence is the
 * caller's to judge from {@link #silentFor}: only it knows whether SSH answers meanwhile.
 *
 * <p>Not thread-safe: one reader feeds it.
 */
public final class ConsoleWatch {
    public static final int MAX_LINE = 4096;
    public static final int MAX_FINDINGS = 100;
    public static final int TAIL_LINES = 200;

    /** What a console line says about the kernel, worst first where a line could say two. */
    public enum Kind {
        PANIC("Kernel panic - not syncing"),
        SOFT_LOCKUP("BUG: soft lockup"),
        HARD_LOCKUP("hard LOCKUP"),
        OOPS("Oops"),
        BUG("BUG"),
        HUNG_TASK("blocked for more than"),
        RCU_STALL("rcu: INFO: ... detected stall");

        private final String shown;

        Kind(String shown) {
            this.shown = shown;
        }

        /** The words that gave it away, for messages. */
        public String shown() {
            return shown;
        }

        /** The kernel cannot go on after this one: the host is down until it reboots. */
        public boolean fatal() {
            return this == PANIC;
        }
    }

    /** A line that said something, numbered from 1 in what this watch has read. */
    public record Finding(Kind kind, long line, String text) {}

    private static final Pattern OOPS = Pattern.compile("Internal error: Oops|\\bOops(: | - )");
    private static final Pattern BUG = Pattern.compile("\\bBUG: |kernel BUG at ");
    private static final Pattern HUNG_TASK = Pattern.compile("INFO: task .+ blocked for more than \\d+ seconds");
    private static final Pattern RCU_STALL = Pattern.compile("rcu: INFO: \\S+ (self-)?detected stalls?");

    private final byte[] line = new byte[MAX_LINE];
    private int length;
    private boolean cut;
    private long lines;
    private long lastOutputNanos;
    private boolean anyOutput;
    private final List<Finding> findings = new ArrayList<>();
    private long findingsLeftOut;
    private final Deque<String> tail = new ArrayDeque<>();

    /** The kind of kernel trouble {@code line} reports, if any. */
    public static Optional<Kind> classify(String line) {
        if (line.contains("Kernel panic - not syncing")) {
            return Optional.of(Kind.PANIC);
        }
        if (line.contains("BUG: soft lockup")) {
            return Optional.of(Kind.SOFT_LOCKUP);
        }
        if (line.contains("hard LOCKUP")) {
            return Optional.of(Kind.HARD_LOCKUP);
        }
        if (OOPS.matcher(line).find()) {
            return Optional.of(Kind.OOPS);
        }
        if (BUG.matcher(line).find()) {
            return Optional.of(Kind.BUG);
        }
        if (HUNG_TASK.matcher(line).find()) {
            return Optional.of(Kind.HUNG_TASK);
        }
        if (RCU_STALL.matcher(line).find()) {
            return Optional.of(Kind.RCU_STALL);
        }
        return Optional.empty();
    }

    /** A watch that has read the whole of a console kept in a file (a boot's console, after the fact). */
    public static ConsoleWatch ofFile(Path file) throws IOException {
        ConsoleWatch watch = new ConsoleWatch();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                watch.accept(buffer, 0, n, System.nanoTime());
            }
        }
        watch.finish();
        return watch;
    }

    /** Console bytes as they arrived at {@code nanoTime} (a monotonic clock, e.g. {@link System#nanoTime}). */
    public void accept(byte[] bytes, int offset, int count, long nanoTime) {
        if (count > 0) {
            anyOutput = true;
            lastOutputNanos = nanoTime;
        }
        for (int i = offset; i < offset + count; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else if (b != '\r') {
                if (length < MAX_LINE) {
                    line[length++] = b;
                } else {
                    cut = true;
                }
            }
        }
    }

    /** Ends the last line if the console stopped in the middle of one (a panic often does). */
    public void finish() {
        if (length > 0 || cut) {
            endLine();
        }
    }

    private void endLine() {
        lines++;
        String text = new String(line, 0, length, StandardCharsets.ISO_8859_1) + (cut ? " [cut]" : "");
        length = 0;
        cut = false;
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(text);
        classify(text).ifPresent(kind -> {
            if (findings.size() < MAX_FINDINGS) {
                findings.add(new Finding(kind, lines, text.strip()));
            } else {
                findingsLeftOut++;
            }
        });
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    /** Findings past {@link #MAX_FINDINGS}, counted only. */
    public long findingsLeftOut() {
        return findingsLeftOut;
    }

    /** The worst finding so far (by {@link Kind} order), if any. */
    public Optional<Finding> worst() {
        return findings.stream().min((a, b) -> a.kind().compareTo(b.kind()));
    }

    /** The last lines read, oldest first. */
    public List<String> tail() {
        return List.copyOf(tail);
    }

    public long lines() {
        return lines;
    }

    /** How long the console has said nothing, at {@code nanoTime}; empty if it never said anything. */
    public Optional<Duration> silentFor(long nanoTime) {
        return anyOutput ? Optional.of(Duration.ofNanos(Math.max(0, nanoTime - lastOutputNanos))) : Optional.empty();
    }
}
