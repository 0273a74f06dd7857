package dev.reclaimlab.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Task names by pid, from a copy of {@code saved_cmdlines} ({@code pid comm} lines, the comm may hold spaces): binary
 * records carry only the pid, and {@code trace_pipe} named tasks from the same table. A pid it does not hold is
 * {@code <...>}, as tracefs and trace-cmd print it.
 */
public final class Cmdlines {
    /** What a pid without a saved name is called. */
    public static final String UNKNOWN = "<...>";
    /** saved_cmdlines_size is at most 32,768 in the kernel; a copy with more lines is not one. */
    public static final int MAX_ENTRIES = 1 << 16;
    private static final int MAX_COMM = 64;

    private final Map<Integer, String> byPid;

    private Cmdlines(Map<Integer, String> byPid) {
        this.byPid = byPid;
    }

    public static Cmdlines none() {
        return new Cmdlines(Map.of());
    }

    public static Cmdlines read(InputStream in) throws IOException {
        Map<Integer, String> byPid = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        String line;
        while ((line = reader.readLine()) != null && byPid.size() < MAX_ENTRIES) {
            int space = line.indexOf(' ');
            if (space <= 0 || space > 10 || line.length() - space - 1 > MAX_COMM) {
                continue;
            }
            try {
                byPid.put(Integer.parseInt(line, 0, space, 10), line.substring(space + 1));
            } catch (NumberFormatException e) {
                // not a pid: skip the line
            }
        }
        return new Cmdlines(byPid);
    }

    public String comm(int pid) {
        return pid == 0 ? "<idle>" : byPid.getOrDefault(pid, UNKNOWN);
    }
}
