package dev.reclaimlab.trace;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.plan.TraceEvent;
import dev.reclaimlab.plan.TracingSpec;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import java.util.ArrayList;
import java.util.List;

import static dev.reclaimlab.shell.Sh.quote;

/**
 * Tracing on a host, in a tracefs instance of the run's own so nobody else's tracing is disturbed. While the
 * workloads run, a drainer on the host copies {@code trace_pipe} into a file: reading the pipe empties the ring
 * buffer as it fills, so a storm does not overrun it; whatever is still unread at the end is appended from
 * {@code trace}. Overruns the kernel counted anyway are kept in {@code trace.stats}.
 */
public final class TraceSteps {
    private final HostLayout layout;
    private final TracingSpec spec;

    public TraceSteps(HostLayout layout, TracingSpec spec) {
        this.layout = layout;
        this.spec = spec;
    }

    /** Mounting tracefs when the host has not, undone at the very end of the run. */
    public static Step mount(String dir) {
        return Step.undoable("tracefs:mount", "mount tracefs at " + dir,
                "mount -t tracefs nodev " + quote(dir),
                "if grep -q " + quote(" " + dir + " tracefs ") + " /proc/mounts; then umount " + quote(dir) + "; fi");
    }

    /** Make the instance, size its buffer and keep each event's format file with the results. */
    public List<Step> setup(String iterationDir) {
        String instance = layout.traceInstance();
        List<Step> steps = new ArrayList<>();
        steps.add(Step.undoable("trace:instance", "make tracefs instance " + instance,
                "mkdir " + quote(instance) + " && lab_write " + quote(instance + "/tracing_on") + " 0 && lab_write "
                        + quote(instance + "/buffer_size_kb") + " " + Math.max(4, spec.bufferPerCpu().kib()),
                "lab_rminstance " + quote(instance)));
        List<String> copies = new ArrayList<>();
        spec.events().stream().map(TraceEvent::system).distinct()
                .forEach(system -> copies.add("mkdir -p " + quote(iterationDir + "/" + RunLayout.FORMATS + "/" + system)));
        for (TraceEvent event : spec.events()) {
            copies.add("cat " + quote(eventDir(event) + "/format") + " > "
                    + quote(iterationDir + "/" + RunLayout.format(event.system(), event.name())));
        }
        steps.add(Step.action("trace:formats", "save the format of " + spec.events().size() + " events",
                String.join(" && ", copies)));
        return steps;
    }

    /** Start draining, then enable the events and mark the start in the trace. */
    public Step start(String iterationDir, String marker) {
        String instance = layout.traceInstance();
        List<String> commands = new ArrayList<>();
        commands.add("lab_bg " + quote(iterationDir + "/" + RunLayout.DRAIN_PID) + " "
                + quote(iterationDir + "/" + RunLayout.TRACE) + " " + quote(iterationDir + "/" + RunLayout.DRAIN_ERR)
                + " cat " + quote(instance + "/trace_pipe"));
        for (TraceEvent event : spec.events()) {
            commands.add("lab_write " + quote(eventDir(event) + "/enable") + " 1");
        }
        commands.add("lab_write " + quote(instance + "/tracing_on") + " 1");
        commands.add("lab_write " + quote(instance + "/trace_marker") + " " + quote(marker));
        return Step.undoable("trace:start", "start tracing " + spec.events().size() + " events",
                String.join(" && ", commands), "lab_stop_bg " + quote(iterationDir + "/" + RunLayout.DRAIN_PID));
    }

    /** Stop recording, let the drainer write what it read, then append what nobody read yet. */
    public Step stop(String iterationDir) {
        String instance = layout.traceInstance();
        String trace = quote(iterationDir + "/" + RunLayout.TRACE);
        return Step.action("trace:stop", "stop tracing and collect the rest of the buffer",
                "lab_write " + quote(instance + "/tracing_on") + " 0 && lab_wait_quiet " + trace
                        + " && lab_stop_bg " + quote(iterationDir + "/" + RunLayout.DRAIN_PID)
                        + " && cat " + quote(instance + "/trace") + " >> " + trace
                        + " && lab_trace_stats " + quote(instance) + " > " + quote(iterationDir + "/" + RunLayout.TRACE_STATS))
                .withTimeout(java.time.Duration.ofMinutes(2));
    }

    public List<Fetch> fetches(String iterationDir, String localDir) {
        List<Fetch> fetches = new ArrayList<>();
        fetches.add(new Fetch(iterationDir + "/" + RunLayout.TRACE, localDir + "/" + RunLayout.TRACE, false));
        fetches.add(new Fetch(iterationDir + "/" + RunLayout.TRACE_STATS, localDir + "/" + RunLayout.TRACE_STATS, false));
        for (TraceEvent event : spec.events()) {
            String relative = RunLayout.format(event.system(), event.name());
            fetches.add(new Fetch(iterationDir + "/" + relative, localDir + "/" + relative, false));
        }
        return fetches;
    }

    private String eventDir(TraceEvent event) {
        return layout.traceInstance() + "/events/" + event.system() + "/" + event.name();
    }
}
