package dev.reclaimlab.artifacts;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json}: the stable index of a run directory that later tools and CI jobs read. Paths are
 * relative to the run directory. Its schema is {@code schema/manifest.schema.json}; fields are only ever added,
 * never changed in meaning. Writers and readers use these records: {@link ManifestWriter} and
 * {@link RunDirectory#manifest()}.
 */
public record Manifest(String format, int version, String runId, String plan, String planSource,
                       String planResolved, RunStatus status, String startedAt, String finishedAt, String labVersion,
                       List<HostEntry> hosts, List<IterationEntry> iterations, String steps, String report) {

    public static final String FORMAT = "reclaim-lab/manifest";
    public static final int VERSION = 1;

    public Manifest {
        hosts = copy(hosts);
        iterations = copy(iterations);
    }

    /** The same manifest, pointing at the report written into the run directory. */
    public Manifest withReport(String reportPath) {
        return new Manifest(format, version, runId, plan, planSource, planResolved, status, startedAt, finishedAt,
                labVersion, hosts, iterations, steps, reportPath);
    }

    /**
     * @param facts    {@code hosts/<host>/facts.json}
     * @param kernel   the host's {@code uname -r}, when lab got that far
     * @param console  VM hosts only: the copy of the VM's serial console log taken at the end of the run
     *                 ({@code hosts/<host>/console.log}); absent for other hosts
     * @param boots    plans with a boot section: each boot lab made on the host, in order; absent otherwise
     */
    public record HostEntry(String name, String facts, String kernel, RunStatus status, List<String> problems,
                            TeardownStatus teardown, String console, List<BootEntry> boots) {
        public HostEntry {
            problems = copy(problems);
            boots = copyOrNull(boots);
        }
    }

    /** How one boot went; see manifest.schema.json. */
    public enum BootOutcome {
        BOOTED, UNTESTABLE, DEFAULT,
        /** Brought back on its default after its kernel crashed or hung during an iteration. */
        RECOVERED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One boot lab made on a host.
     *
     * @param target  what was asked, for people
     * @param kernel  the kernel as the plan named it; null for the host's default
     * @param console the boot's console log in the run directory, where the host has one
     * @param error   why it failed, with what the console said
     */
    public record BootEntry(String target, String kernel, BootOutcome outcome, String release, String cmdline,
                            String bootId, String console, String error) {}

    /** The kernel and command line an iteration ran on, as the host reported them after lab booted it. */
    public record BootSeen(String release, String cmdline) {}

    /**
     * @param variant      the variant's values by matrix key
     * @param variantLabel {@code swappiness=100}
     * @param dir          the iteration's folder in the run directory
     * @param lostEvents   events the ring buffer overran or dropped (trace.stats); absent without tracing
     * @param boot         plans with a boot section: the kernel and command line it ran on; absent otherwise
     */
    public record IterationEntry(String host, Map<String, String> variant, String variantLabel, int repeat, String dir,
                                 IterationStatus status, String error, String startedAt, long durationMs,
                                 Artifacts artifacts, List<WorkloadExit> workloads, Long lostEvents,
                                 BootSeen boot) {
        public IterationEntry {
            variant = variant == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(variant));
            workloads = copy(workloads);
        }

        /** {@code swappiness=100 r1} */
        public String label() {
            return variantLabel + " r" + repeat;
        }
    }

    /** Files of one iteration; absent ones are omitted (null). */
    /**
     * @param console the host's console from the iteration's start to its end, where the kernel went down during it
     *                (a panic and its call trace, lockup reports); null otherwise
     */
    public record Artifacts(String trace, String traceStats, List<String> formats, List<String> monitors,
                            String workloads, List<String> workloadLogs, String metrics, String console) {
        public Artifacts {
            formats = copyOrNull(formats);
            monitors = copyOrNull(monitors);
            workloadLogs = copyOrNull(workloadLogs);
        }

        public static Artifacts none() {
            return new Artifacts(null, null, null, null, null, null, null, null);
        }

        /** Nothing but the console of a kernel that went down. */
        public static Artifacts console(String console) {
            return new Artifacts(null, null, null, null, null, null, null, console);
        }
    }

    public record WorkloadExit(String workload, int copy, int exit) {}

    private static <T> List<T> copy(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    private static <T> List<T> copyOrNull(List<T> list) {
        return list == null ? null : List.copyOf(list);
    }
}
