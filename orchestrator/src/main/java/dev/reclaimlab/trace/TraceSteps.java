package dev.reclaimlab.trace;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.plan.TraceEvent;
import dev.reclaimlab.plan.TracingSpec;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import java.util.ArrayList;
import java.util.List;


/**
 * Tracing on a host, in a tracefs instance of the run's own, so nobody else's tracing is disturbed. While the
 * workloads run, readers on the host empty the ring buffer as it fills, so a storm does not overrun it: by default
 * one per CPU copying its pages in binary into {@link RunLayout#RAW} (see {@code lab_trace_start_raw}), on hosts
 * without {@code trace_pipe_raw} or with {@code capture: text} a single reader of {@code trace_pipe} into
 * {@link RunLayout#TRACE}. Which one ran shows in what the iteration's folder holds. Overruns the kernel counted anyway
 * are kept in {@code trace.stats}.
 */
public final class TraceSteps {
    /** Comms of this many recent pids are kept, so a storm's thousands of short-lived tasks keep their names. */
    static final int SAVED_CMDLINES = 8192;

    private final HostLayout layout;
    private final TracingSpec spec;
    private final TraceBuffer buffer;
    private final int cpus;

    /** @param cpus the host's CPUs: one binary capture file each */
    public TraceSteps(HostLayout layout, TracingSpec spec, TraceBuffer buffer, int cpus) {
        this.layout = layout;
        this.spec = spec;
        this.buffer = buffer;
        this.cpus = cpus;
    }

    private boolean binary() {
        return spec.capture() == TracingSpec.Capture.BINARY;
    }

    /** Mounting tracefs when the host has not, undone at the very end of the run. */
    public static Step mount(String dir) {
        return Step.undoable("tracefs:mount", "mount tracefs at " + dir, Sh.command("lab_mount_tracefs", dir),
                Sh.command("lab_umount_tracefs", dir));
    }

    /** Make the instance, size its buffer and keep each event's format file with the results. */
    public List<Step> setup(String iterationDir) {
        String instance = layout.traceInstance();
        List<Step> steps = new ArrayList<>();
        steps.add(Step.undoable("trace:instance", "make tracefs instance " + instance + " with " + buffer.perCpu()
                        + " of ring buffer per CPU (" + buffer.reason() + ")",
                Sh.command("lab_mkinstance", instance, Long.toString(Math.max(4, buffer.perCpu().kib()))),
                Sh.command("lab_rminstance", instance)));
        List<String> formats = new ArrayList<>(List.of("lab_save_formats", instance,
                iterationDir + "/" + RunLayout.FORMATS));
        spec.events().forEach(event -> formats.add(event.toString()));
        if (binary()) {
            // Binary records carry a pid, not a name: keep the names of more pids than the kernel's default 128.
            String file = layout.tracefs() + "/saved_cmdlines_size";
            steps.add(Step.undoable("trace:cmdlines", "keep the comm of the last " + SAVED_CMDLINES + " pids",
                    Sh.command("lab_raise", file, "saved-cmdlines-size", Integer.toString(SAVED_CMDLINES)),
                    Sh.command("lab_restore", "saved-cmdlines-size", file)));
            formats.add(MARKER_EVENT); // the start marker, a record like any other in a binary capture
        }
        steps.add(Step.action("trace:formats", "save the format of " + (formats.size() - 3) + " events",
                Sh.command(formats)));
        return steps;
    }

    /** The event trace_marker writes. */
    static final String MARKER_EVENT = "ftrace:print";

    /**
     * Start the readers, then enable the events and mark the start in the trace. A host without
     * {@code trace_pipe_raw} gets the text reader, and says so.
     */
    public Step start(String iterationDir, String marker) {
        List<String> events = spec.events().stream().map(TraceEvent::toString).toList();
        String pid = iterationDir + "/" + RunLayout.DRAIN_PID;
        String err = iterationDir + "/" + RunLayout.DRAIN_ERR;
        List<String> text = new ArrayList<>(List.of("lab_trace_start", layout.traceInstance(), pid,
                iterationDir + "/" + RunLayout.TRACE, err, marker));
        text.addAll(events);
        String command = Sh.command(text);
        String title = "start tracing " + spec.events().size() + " events";
        if (binary()) {
            List<String> raw = new ArrayList<>(List.of("lab_trace_start_raw", layout.traceInstance(), pid,
                    iterationDir + "/" + RunLayout.RAW, err, marker));
            raw.addAll(events);
            command = Sh.command(raw) + " || { [ $? = 3 ] && lab_say " + Sh.quote(NO_RAW_WARNING) + " && " + command
                    + "; }";
            title += ", one binary reader per CPU";
        }
        return Step.undoable("trace:start", title, command, Sh.command("lab_stop_bg", pid));
    }

    /** Said on the host when binary capture is impossible there. */
    static final String NO_RAW_WARNING = "WARNING: this kernel has no per_cpu/cpuN/trace_pipe_raw; capturing text"
            + " from trace_pipe instead, which loses events in a storm";

    /** Stop recording, let the drainer write what it read, then append what nobody read yet. */
    public Step stop(String iterationDir) {
        String pid = iterationDir + "/" + RunLayout.DRAIN_PID;
        String stats = iterationDir + "/" + RunLayout.TRACE_STATS;
        String text = Sh.command("lab_trace_stop", layout.traceInstance(), pid, iterationDir + "/" + RunLayout.TRACE,
                stats);
        String command = text;
        if (binary()) {
            String raw = iterationDir + "/" + RunLayout.RAW;
            command = "if [ -d " + Sh.quote(raw) + " ]; then " + Sh.command("lab_trace_stop_raw", layout.tracefs(),
                    layout.traceInstance(), pid, raw, stats) + "; else " + text + "; fi";
        }
        return Step.action("trace:stop", "stop tracing and collect the rest of the buffer", command)
                .withTimeout(java.time.Duration.ofMinutes(2));
    }

    /**
     * What to bring back. In a binary capture, each CPU's file is optional: the text fallback leaves none, and a CPU
     * numbered past the host's count of online CPUs is not asked for (a host with CPUs offline in the middle of its
     * range would lose the last ones' pages; lab has not met one).
     */
    public List<Fetch> fetches(String iterationDir, String localDir) {
        List<Fetch> fetches = new ArrayList<>();
        fetches.add(new Fetch(iterationDir + "/" + RunLayout.TRACE, localDir + "/" + RunLayout.TRACE, binary()));
        if (binary()) {
            List<String> raw = new ArrayList<>(List.of("header_page", "header_event", "trace_clock", "byte_order",
                    "saved_cmdlines", "kallsyms"));
            for (int cpu = 0; cpu < cpus; cpu++) {
                raw.add("cpu" + cpu);
                raw.add("stats/cpu" + cpu);
            }
            for (String file : raw) {
                String relative = RunLayout.RAW + "/" + file;
                fetches.add(new Fetch(iterationDir + "/" + relative, localDir + "/" + relative, true));
            }
            String marker = RunLayout.format("ftrace", "print");
            fetches.add(new Fetch(iterationDir + "/" + marker, localDir + "/" + marker, true));
        }
        fetches.add(new Fetch(iterationDir + "/" + RunLayout.TRACE_STATS, localDir + "/" + RunLayout.TRACE_STATS,
                false));
        for (TraceEvent event : spec.events()) {
            String relative = RunLayout.format(event.system(), event.name());
            fetches.add(new Fetch(iterationDir + "/" + relative, localDir + "/" + relative, false));
        }
        return fetches;
    }
}
