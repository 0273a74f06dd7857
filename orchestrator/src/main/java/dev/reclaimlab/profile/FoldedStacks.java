package dev.reclaimlab.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Collapsed stacks: each distinct stack (the task's name, then the kernel's frames from the outermost to the leaf,
 * joined by {@code ;}) with how many samples saw it. This is the {@code folded} format of FlameGraph's
 * stackcollapse scripts, which speedscope and inferno read too: one {@code stack count} per line.
 *
 * <p>Bounded: past {@link #MAX_STACKS} distinct stacks, a new one is counted as its task's {@code [other stacks]}.
 */
public final class FoldedStacks {
    /** Far more than a storm's profile holds (thousands); a hostile file cannot make lab hold more. */
    public static final int MAX_STACKS = 500_000;
    /** Where a stack beyond {@link #MAX_STACKS} is counted, under its task. */
    public static final String OTHER = "[other stacks]";
    /** The frame of a sample taken in user mode, whose stack lab does not walk. */
    public static final String USER = "[user]";
    /** The name of each CPU's idle task, as the kernel and perf call it. */
    public static final String IDLE = "swapper";

    private final Map<String, Long> counts = new HashMap<>();
    private long total;

    public void add(String stack, long samples) {
        if (samples <= 0) {
            return;
        }
        String key = stack;
        if (!counts.containsKey(key) && counts.size() >= MAX_STACKS) {
            int semicolon = stack.indexOf(';');
            key = (semicolon < 0 ? stack : stack.substring(0, semicolon)) + ";" + OTHER;
        }
        counts.merge(key, samples, Long::sum);
        total += samples;
    }

    public long total() {
        return total;
    }

    public int size() {
        return counts.size();
    }

    /** The stacks and their counts, sorted by stack (as stackcollapse sorts them). */
    public List<Map.Entry<String, Long>> entries() {
        List<Map.Entry<String, Long>> list = new ArrayList<>(counts.entrySet());
        list.sort(Map.Entry.comparingByKey());
        return list;
    }

    /** Writes one {@code stack count} line per stack. */
    public void write(Writer out) throws IOException {
        for (Map.Entry<String, Long> e : entries()) {
            out.write(e.getKey());
            out.write(' ');
            out.write(Long.toString(e.getValue()));
            out.write('\n');
        }
        out.flush();
    }

    /**
     * Reads folded stacks: the count after the last space of a line. Lines without one, or with a count that is not a
     * positive number, are counted in {@code malformed} and skipped.
     */
    public static FoldedStacks read(BufferedReader in, long[] malformed) throws IOException {
        FoldedStacks stacks = new FoldedStacks();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            long count = -1;
            if (space > 0 && line.length() - space - 1 <= 18) {
                try {
                    count = Long.parseLong(line, space + 1, line.length(), 10);
                } catch (NumberFormatException e) {
                    count = -1;
                }
            }
            if (count <= 0 || line.length() > 1 << 20) {
                malformed[0]++;
                continue;
            }
            stacks.add(line.substring(0, space), count);
        }
        return stacks;
    }
}
