package dev.reclaimlab.analysis;

/**
 * How large each table of the analysis may grow, so that memory is bounded whatever the trace holds: a crafted
 * 187 MB trace of two million tasks grew the tables to 4.4 GB. The limits are far beyond what a real trace needs, so
 * they cost nothing there; past one, what did not fit is counted ({@link TraceMetrics.Dropped}) and the figures it
 * touches are reported as incomplete.
 *
 * <p>The whole trace's tables obey the first six. A chunk parsed ahead on a worker thread has tables of its own; it
 * gives up when one passes its limit (the last two are smaller, since up to two chunks per thread are in memory at
 * once) and is then parsed again on the merge thread into the whole trace's tables, in file order: only that order
 * says which task or name came first, so the result is the same however the file was split.
 *
 * @param openTasks      tasks with a reclaim or shrink_slab begin not yet ended. pid_max is 4,194,304, but a task has
 *                       a begin open only while it is inside reclaim: on a real storm a few thousand at most
 * @param comms          task names: a real trace has tens to a few thousand (kworker names included)
 * @param shrinkers      shrinker functions: a kernel registers a few dozen. Each keeps a latency histogram of up to
 *                       ~360 KB, so this one is the tightest
 * @param eventNames     event names: a kernel has about 2,500 events, all of them enabled at once is rare
 * @param cpuSeconds     (CPU, second) rows of per_cpu_seconds, ~370 bytes each: 18 hours of one CPU, or over 2
 *                       hours of 8 CPUs, reclaiming every second
 * @param oddPriorities  distinct reclaim priorities outside 0..63 (the kernel uses 0..12): a handful show damage
 * @param aheadTasks     tasks a chunk parsed ahead may touch (a 32 MB chunk of a real storm has hundreds)
 * @param aheadCpuSeconds (CPU, second) rows a chunk parsed ahead may have
 */
public record Limits(int openTasks, int comms, int shrinkers, int eventNames, int cpuSeconds, int oddPriorities,
                     int aheadTasks, int aheadCpuSeconds) {
    public static final Limits DEFAULT = new Limits(65_536, 8_192, 128, 4_096, 65_536, 64, 16_384, 16_384);

    public Limits {
        if (openTasks < 1 || comms < 1 || shrinkers < 1 || eventNames < Stats.KNOWN_EVENTS.length || cpuSeconds < 1
                || oddPriorities < 1 || aheadTasks < 1 || aheadCpuSeconds < 1) {
            throw new IllegalArgumentException("every limit must be positive, eventNames at least "
                    + Stats.KNOWN_EVENTS.length + ": " + this);
        }
    }
}
