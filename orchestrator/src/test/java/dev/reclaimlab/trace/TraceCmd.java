package dev.reclaimlab.trace;

import dev.reclaimlab.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Debian's {@code trace-cmd} run on a file, and its report read back as records (the reader lab must satisfy). */
final class TraceCmd {
    /**
     * A {@code trace-cmd report} event line (3.1.6): {@code <comm>-<pid> [CCC] <ts>: <event>: <rest>}, anchored on
     * {@code -pid [cpu]} because comms may hold spaces and dashes.
     */
    private static final Pattern EVENT = Pattern.compile(
            "^\\s*(.*?)-(\\d+)\\s+\\[(\\d{3})\\]\\s+(?:\\S+\\s+)?(\\d+(?:\\.\\d+)?):\\s+([A-Za-z0-9_]+):\\s*(.*)$");

    /** One event line, split into its parts. */
    record Line(String comm, int pid, int cpu, String timestamp, String event, String text) {}

    /** What trace-cmd did. */
    record Result(int exit, String out, String err) {}

    private TraceCmd() {}

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Prerequisites.require("trace-cmd")));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "trace-cmd", ".out");
        Path err = Files.createTempFile(dir, "trace-cmd", ".err");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("trace-cmd " + String.join(" ", args) + " did not end in 5 minutes");
        }
        Result result = new Result(process.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                Files.readString(err, StandardCharsets.ISO_8859_1));
        Files.delete(out);
        Files.delete(err);
        return result;
    }

    /** {@code trace-cmd report -t -i file}, which must succeed without a word on stderr. */
    static String report(Path file) throws IOException, InterruptedException {
        Result result = run(file.toAbsolutePath().getParent(), "report", "-t", "-i", file.toAbsolutePath().toString());
        if (result.exit() != 0 || !result.err().isBlank()) {
            throw new AssertionError("trace-cmd report -i " + file + ": exit " + result.exit() + "\n" + result.err());
        }
        return result.out();
    }

    /** The event lines of a report (the {@code cpus=} line and drop notices left out). */
    static List<Line> events(String report) {
        List<Line> lines = new ArrayList<>();
        for (String line : report.split("\n")) {
            Matcher m = EVENT.matcher(line);
            if (m.matches()) {
                lines.add(new Line(m.group(1).strip(), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        m.group(4), m.group(5), m.group(6)));
            }
        }
        return lines;
    }

    static Map<String, Integer> countByEvent(List<Line> lines) {
        Map<String, Integer> counts = new TreeMap<>();
        lines.forEach(line -> counts.merge(line.event(), 1, Integer::sum));
        return counts;
    }
}
