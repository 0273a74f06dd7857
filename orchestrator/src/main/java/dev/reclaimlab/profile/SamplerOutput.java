package dev.reclaimlab.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads what lab's sampler printed, a line at a time (a profile of hours is never held whole). Lines are checked,
 * not trusted: the file comes from a host. One that cannot be read is counted and skipped, with the first such
 * line kept for the error message.
 */
public final class SamplerOutput {
    /** A kernel stack deeper than this is not one the kernel's unwinder makes (perf_event_max_stack is 127). */
    static final int MAX_DEPTH = 1024;
    private static final int MAX_LINE = 64 << 10;
    private static final String HEADER = "# lab-sampler 1 ";

    /** What the file said about itself, beyond its samples. */
    public record Summary(long samples, long lostRecords, long lostSamples, long malformedLines,
                          String firstMalformed, int hz, boolean header, boolean ended, String source) {}

    /** What took the samples, as the header's {@code source=} says: lab's sampler unless perf's were turned into lines. */
    public static final String LAB_SAMPLER = "lab-sampler";
    public static final String PERF = "perf";

    private SamplerOutput() {}

    /** Streams the samples of {@code in} to {@code each}; the summary counts what was seen. */
    public static Summary read(InputStream in, Consumer<Sample> each) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
        long samples = 0;
        long lostRecords = 0;
        long lostSamples = 0;
        long malformed = 0;
        String firstMalformed = null;
        int hz = 0;
        boolean header = false;
        boolean ended = false;
        String source = LAB_SAMPLER;
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String problem = null;
            if (line.length() > MAX_LINE) {
                problem = "longer than " + MAX_LINE + " characters";
            } else if (line.startsWith("S ")) {
                Sample s = sample(line);
                if (s == null) {
                    problem = "not a sample (S CPU PID TID TIME k|u ADDRESSES COMM)";
                } else {
                    samples++;
                    each.accept(s);
                }
            } else if (line.startsWith("L ")) {
                String[] f = line.split(" ");
                long n = f.length == 3 ? unsigned(f[2]) : -1;
                if (n < 0 || unsigned(f[1]) < 0) {
                    problem = "not a loss record (L CPU COUNT)";
                } else {
                    lostRecords++;
                    lostSamples += n;
                }
            } else if (line.startsWith(HEADER)) {
                header = true;
                for (String f : line.substring(HEADER.length()).split(" ")) {
                    if (f.startsWith("hz=")) {
                        long v = unsigned(f.substring(3));
                        hz = v > 0 && v <= 100_000 ? (int) v : 0;
                    } else if (f.equals("source=" + PERF)) {
                        source = PERF;
                    }
                }
            } else if (line.startsWith("# end ")) {
                ended = true;
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                problem = "not a line lab-sampler writes";
            }
            if (problem != null) {
                malformed++;
                if (firstMalformed == null) {
                    String shown = line.length() > 160 ? line.substring(0, 160) + "..." : line;
                    firstMalformed = "line " + number + ": " + problem + ": \"" + shown.replaceAll("\\p{Cntrl}", "?")
                            + "\"";
                }
            }
        }
        return new Summary(samples, lostRecords, lostSamples, malformed, firstMalformed, hz, header, ended, source);
    }

    /** {@code S CPU PID TID TIME k|u ADDRESSES COMM}, or null. */
    static Sample sample(String line) {
        int[] at = new int[7];
        int field = 0;
        int p = 2;
        at[field++] = p;
        while (field < 7) {
            int space = line.indexOf(' ', p);
            if (space < 0) {
                return null;
            }
            p = space + 1;
            at[field++] = p;
        }
        long cpu = unsigned(line.substring(at[0], at[1] - 1));
        long pid = task(line.substring(at[1], at[2] - 1));
        long tid = task(line.substring(at[2], at[3] - 1));
        long time = unsigned(line.substring(at[3], at[4] - 1));
        String mode = line.substring(at[4], at[5] - 1);
        String addresses = line.substring(at[5], at[6] - 1);
        String comm = line.substring(at[6]);
        if (cpu < 0 || cpu > 65_535 || pid < -1 || pid > Integer.MAX_VALUE || tid < -1 || tid > Integer.MAX_VALUE
                || time < 0 || comm.isEmpty() || comm.length() > 64) {
            return null;
        }
        boolean user;
        long[] chain;
        if (mode.equals("u") && addresses.equals("-")) {
            user = true;
            chain = new long[0];
        } else if (mode.equals("k")) {
            user = false;
            chain = addresses(addresses);
            if (chain == null) {
                return null;
            }
        } else {
            return null;
        }
        return new Sample((int) cpu, (int) pid, (int) tid, time, user, chain, comm);
    }

    private static long[] addresses(String list) {
        int count = 1;
        for (int i = 0; i < list.length(); i++) {
            if (list.charAt(i) == ',') {
                count++;
            }
        }
        if (count > MAX_DEPTH) {
            return null;
        }
        long[] chain = new long[count];
        int from = 0;
        for (int i = 0; i < count; i++) {
            int comma = list.indexOf(',', from);
            int to = comma < 0 ? list.length() : comma;
            if (to == from || to - from > 16) {
                return null;
            }
            try {
                chain[i] = Long.parseUnsignedLong(list, from, to, 16);
            } catch (NumberFormatException e) {
                return null;
            }
            from = to + 1;
        }
        return chain;
    }

    /** A pid: a number, or -1 (a task the kernel was tearing down when it was sampled); -2 for anything else. */
    private static long task(String s) {
        return s.equals("-1") ? -1 : s.startsWith("-") ? -2 : unsigned(s);
    }

    /** A decimal number of at most 18 digits, or -1. */
    private static long unsigned(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
