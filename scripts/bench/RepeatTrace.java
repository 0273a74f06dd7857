import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a big trace for scripts/bench-analyze: a real trace repeated until the file reaches the size asked for, each
 * copy's timestamps shifted by the trace's span (whole seconds) times the copy number, so copies follow each other
 * in time as one long storm would. Run as a single-file program: java RepeatTrace.java SOURCE TARGET BYTES.
 */
public final class RepeatTrace {
    /** TASK-PID [CPU] FLAGS SECONDS.MICROS: rest (tracefs prints the seconds right-aligned, "%5lu"). */
    private static final Pattern EVENT = Pattern.compile("^(.*?\\[\\d+\\] (?:\\S{1,8} +)?)(\\d+)\\.(\\d+)(: .*)$");

    /** An event line cut around its seconds, or (prefix null) any other line, kept as it is. */
    private record Line(String prefix, long seconds, byte[] tail, byte[] raw) {}

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java RepeatTrace.java SOURCE TARGET BYTES");
            System.exit(2);
        }
        List<Line> lines = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (String raw : Files.readAllLines(Path.of(args[0]), StandardCharsets.ISO_8859_1)) {
            Matcher m = EVENT.matcher(raw);
            if (m.matches()) {
                long seconds = Long.parseLong(m.group(2));
                first = Math.min(first, seconds);
                last = Math.max(last, seconds);
                lines.add(new Line(m.group(1), seconds, bytes("." + m.group(3) + m.group(4) + "\n"), null));
            } else {
                lines.add(new Line(null, 0, null, bytes(raw + "\n")));
            }
        }
        if (first == Long.MAX_VALUE) {
            System.err.println("RepeatTrace: no event lines in " + args[0]);
            System.exit(2);
        }
        long span = last - first + 1;
        long target = Long.parseLong(args[2]);
        long written = 0;
        int copies = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[1])), 1 << 20)) {
            while (written < target) {
                long shift = copies * span;
                for (Line line : lines) {
                    if (line.raw() != null) {
                        out.write(line.raw());
                        written += line.raw().length;
                        continue;
                    }
                    String seconds = Long.toString(line.seconds() + shift);
                    String prefix = line.prefix();
                    int wider = seconds.length() - Long.toString(line.seconds()).length();
                    while (wider-- > 0 && prefix.endsWith("  ")) {
                        prefix = prefix.substring(0, prefix.length() - 1); // the "%5lu" padding gives way
                    }
                    byte[] head = bytes(prefix + seconds);
                    out.write(head);
                    out.write(line.tail());
                    written += head.length + line.tail().length;
                }
                copies++;
            }
        }
        System.out.println(copies + " copies of " + args[0] + ", " + span + " s apart, " + written + " bytes");
    }
}
