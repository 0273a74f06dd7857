package dev.reclaimlab.artifacts;

/**
 * Every name in a run directory, and in an iteration's folder on the host, in one place. Writers ({@code lab run})
 * and readers (reports, comparisons, and whatever reads run directories later) both use these, so a name changes in
 * one line.
 *
 * <pre>
 * runs/&lt;run-id&gt;-&lt;plan&gt;/
 *   manifest.json                 the index: {@link Manifest}
 *   plan.yaml, plan.resolved.json the plan as given, and every variant resolved
 *   steps.jsonl                   every command run ({@link StepRecord}); steps.jsonl.partial while the run goes on
 *   report.html, summary.json, junit.xml
 *   hosts/&lt;host&gt;/facts.json       what the host was
 *   hosts/&lt;host&gt;/console.log      a VM's serial console
 *   hosts/&lt;host&gt;/kmod/           module sources and builds, patch-points.json
 *   hosts/&lt;host&gt;/&lt;variant&gt;/r&lt;n&gt;/  one iteration: the names below
 * </pre>
 *
 * An iteration's folder has the same names on the host (under the run's work directory) as in the run directory,
 * but for workload logs, which the host keeps in one folder per copy.
 */
public final class RunLayout {
    public static final String MANIFEST = "manifest.json";
    public static final String PLAN_COPY = "plan.yaml";
    public static final String PLAN_RESOLVED = "plan.resolved.json";
    public static final String STEPS = "steps.jsonl";
    /** The step log while the run goes on; a crashed run keeps this name, which says it is incomplete. */
    public static final String STEPS_PARTIAL = STEPS + ".partial";
    public static final String REPORT = "report.html";
    public static final String SUMMARY = "summary.json";
    public static final String JUNIT = "junit.xml";

    // --- in an iteration's folder ---------------------------------------------------------------------------
    /** The trace as tracefs text. */
    public static final String TRACE = "trace.txt";
    /** Per CPU: events the ring buffer overran or dropped. */
    public static final String TRACE_STATS = "trace.stats";
    /** The trace in trace-cmd's file format (version 6), assembled from {@link #RAW}. */
    public static final String TRACE_DAT = "trace.dat";
    /**
     * The binary capture: per CPU the ring buffer's pages as {@code trace_pipe_raw} handed them out ({@code cpuN}),
     * and what decoding them needs ({@code header_page}, {@code header_event}, {@code saved_cmdlines},
     * {@code kallsyms}, {@code trace_clock}, {@code byte_order}, {@code stats/cpuN}).
     */
    public static final String RAW = "raw";
    /** The {@code format} file of every traced event, as {@code formats/<system>/<event>.format}. */
    public static final String FORMATS = "formats";
    /** What the analysis found in the trace: {@code schema/metrics.schema.json}. */
    public static final String METRICS = "metrics.json";
    /** One CSV per monitor source, with a header row: {@code monitors/<source>.csv}. */
    public static final String MONITORS = "monitors";
    /** {@code workload,copy,exit} per workload copy. */
    public static final String WORKLOADS_CSV = "workloads.csv";
    /** In an iteration whose kernel crashed or hung: the host's console from the iteration's start. */
    public static final String ITERATION_CONSOLE = "console.log";
    /** The workloads' output: {@code workloads/<workload>-<copy>.log} (on the host {@code workloads/<workload>/<copy>/}). */
    public static final String WORKLOADS = "workloads";
    /** What the kernel modules did: the files named {@code KMOD_*}. */
    public static final String KMOD = "kmod";
    public static final String KMOD_DMESG = KMOD + "/dmesg.txt";
    public static final String KMOD_STRESS = KMOD + "/stress.txt";
    /** key=value lines saying what was patched: point, where, expect, replace (as the plan wrote them). */
    public static final String KMOD_PATCH_INFO = KMOD + "/patch.txt";
    public static final String KMOD_PATCH_BEFORE = KMOD + "/patch.before";
    public static final String KMOD_PATCH_AFTER = KMOD + "/patch.after";
    public static final String KMOD_PATCH_RESTORED = KMOD + "/patch.restored";

    /**
     * The kernel stack profile: {@code profile/samples.txt} (what lab's sampler printed), {@code profile/kallsyms}
     * (the boot's text symbols, to name its addresses), {@code profile/sampler.err}; on the orchestrator also
     * {@code profile/stacks.folded}, the collapsed stacks.
     */
    public static final String PROFILE = "profile";
    public static final String PROFILE_SAMPLES = PROFILE + "/samples.txt";
    public static final String PROFILE_KALLSYMS = PROFILE + "/kallsyms";
    public static final String PROFILE_ERR = PROFILE + "/sampler.err";
    public static final String PROFILE_FOLDED = PROFILE + "/stacks.folded";
    /** lab's sampler on the host, in the run's work directory. */
    public static final String SAMPLER = "lab-sampler";

    // --- on the host only, in an iteration's folder ----------------------------------------------------------
    public static final String PROFILE_PID = "profile.pid";
    public static final String DRAIN_PID = "drain.pid";
    public static final String DRAIN_ERR = "drain.err";
    public static final String MONITOR_PID = "monitor.pid";
    public static final String MONITOR_ERR = "monitor.err";
    public static final String WORKLOAD_PIDS = "workloads.pids";
    /** A workload copy's output, in its own folder on the host. */
    public static final String WORKLOAD_OUTPUT = "output.log";

    private RunLayout() {}

    /** {@code <run-id>-<plan>}: sorts by time, says what ran. */
    public static String runDirName(String runId, String plan) {
        return runId + "-" + plan;
    }

    public static String host(String host) {
        return "hosts/" + host;
    }

    public static String facts(String host) {
        return host(host) + "/facts.json";
    }

    public static String console(String host) {
        return host(host) + "/console.log";
    }

    /** The console of the host's {@code n}th boot in this run (1 is the first). */
    public static String bootConsole(String host, int n) {
        return host(host) + "/boots/" + n + "/console.log";
    }

    /** The console of an earlier try of the host's {@code n}th boot, one that failed and was tried again. */
    public static String bootConsole(String host, int n, int attempt) {
        return host(host) + "/boots/" + n + "/console-try" + attempt + ".log";
    }

    /** The host's facts as read after its {@code n}th boot in this run. */
    public static String bootFacts(String host, int n) {
        return host(host) + "/boots/" + n + "/facts.json";
    }

    /** A kernel module's rendered source (and the .ko lab built) for this host. */
    public static String moduleSource(String host, String module) {
        return host(host) + "/" + KMOD + "/" + module;
    }

    /** What every patch point held before anything was loaded. */
    public static String patchPoints(String host) {
        return host(host) + "/" + KMOD + "/patch-points.json";
    }

    /** An iteration's folder below the run's work directory on the host: {@code <variant-slug>/r<repeat>}. */
    public static String iteration(String variantSlug, int repeat) {
        return variantSlug + "/r" + repeat;
    }

    /** An iteration's folder in the run directory. */
    public static String iteration(String host, String variantSlug, int repeat) {
        return host(host) + "/" + iteration(variantSlug, repeat);
    }

    /** {@code formats/<system>/<event>.format} */
    /** One CPU's pages in the binary capture. */
    public static String rawCpu(int cpu) {
        return RAW + "/cpu" + cpu;
    }

    public static String format(String system, String event) {
        return FORMATS + "/" + system + "/" + event + ".format";
    }

    /** {@code monitors/<source>.csv} */
    public static String monitor(String source) {
        return MONITORS + "/" + source + ".csv";
    }

    /** A workload copy's log in the run directory: {@code workloads/<workload>-<copy>.log}. */
    public static String workloadLog(String workload, int copy) {
        return WORKLOADS + "/" + workload + "-" + copy + ".log";
    }

    /** A workload copy's folder on the host: {@code workloads/<workload>/<copy>}. */
    public static String workloadDir(String workload, int copy) {
        return WORKLOADS + "/" + workload + "/" + copy;
    }
}
