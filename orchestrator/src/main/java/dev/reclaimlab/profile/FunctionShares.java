package dev.reclaimlab.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How much of the sampled time each kernel function was on the stack. A function's inclusive count is the samples
 * whose stack holds it, counted once per stack however often it recurses; its self count, the samples where it was
 * the leaf. Shares are of all samples (idle, user and system) and of system time: samples in the kernel of a task
 * other than the idle task.
 */
public record FunctionShares(long samples, long idle, long user, long system, List<Function> functions) {
    public FunctionShares {
        functions = List.copyOf(functions);
    }

    /** One kernel function's samples. */
    public record Function(String name, long inclusive, long inclusiveSystem, long self) {
        public double shareOfAll(long samples) {
            return samples == 0 ? 0 : (double) inclusive / samples;
        }

        public double shareOfSystem(long system) {
            return system == 0 ? 0 : (double) inclusiveSystem / system;
        }
    }

    /** The functions by inclusive samples, most first (ties by name). */
    public static FunctionShares of(FoldedStacks stacks) {
        long idle = 0;
        long user = 0;
        long system = 0;
        Map<String, long[]> byName = new HashMap<>(); // inclusive, inclusive in system time, self
        Set<String> seen = new HashSet<>();
        for (Map.Entry<String, Long> e : stacks.entries()) {
            String[] frames = e.getKey().split(";");
            long n = e.getValue();
            boolean isIdle = frames[0].equals(FoldedStacks.IDLE);
            if (frames.length == 2 && frames[1].equals(FoldedStacks.USER)) {
                user += n;
                continue;
            }
            if (isIdle) {
                idle += n;
            } else {
                system += n;
            }
            seen.clear();
            for (int i = 1; i < frames.length; i++) {
                if (frames[i].equals(FoldedStacks.OTHER) || !seen.add(frames[i])) {
                    continue;
                }
                long[] c = byName.computeIfAbsent(frames[i], k -> new long[3]);
                c[0] += n;
                if (!isIdle) {
                    c[1] += n;
                }
            }
            if (frames.length > 1 && !frames[frames.length - 1].equals(FoldedStacks.OTHER)) {
                byName.get(frames[frames.length - 1])[2] += n;
            }
        }
        List<Function> functions = new ArrayList<>(byName.size());
        byName.forEach((name, c) -> functions.add(new Function(name, c[0], c[1], c[2])));
        functions.sort(Comparator.comparingLong(Function::inclusive).reversed().thenComparing(Function::name));
        return new FunctionShares(stacks.total(), idle, user, system, functions);
    }

    /**
     * The functions by their samples in system time, most first: a storm's own functions before the idle loop's,
     * which have none (ties by all samples, then name).
     */
    public List<Function> bySystemTime() {
        List<Function> sorted = new ArrayList<>(functions);
        sorted.sort(Comparator.comparingLong(Function::inclusiveSystem).reversed()
                .thenComparing(Comparator.comparingLong(Function::inclusive).reversed())
                .thenComparing(Function::name));
        return sorted;
    }

    /** {@code part} of {@code whole} as a percentage with one decimal ({@code 12.3%}), or {@code -} of nothing. */
    public static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    /** The named function, if any sample had it on its stack. */
    public java.util.Optional<Function> function(String name) {
        return functions.stream().filter(f -> f.name().equals(name)).findFirst();
    }
}
