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
        return Step.undoable("tracefs:mount", "mount tracefs at " + dir, Sh.command("lab_mount_tracefs", dir),
                Sh.command("lab_umount_tracefs", dir));
    }

    /** Make the instance, size its buffer and keep each event's format file with the results. */
    public List<Step> setup(String iterationDir) {
        String instance = layout.traceInstance();
        List<Step> steps = new ArrayList<>();
        steps.add(Step.undoable("trace:instance", "make tracefs instance " + instance,
                Sh.command("lab_mkinstance", instance, Long.toString(Math.max(4, spec.bufferPerCpu().kib()))),
                Sh.command("lab_rminstance", instance)));
        List<String> formats = new ArrayList<>(List.of("lab_save_formats", instance,
                iterationDir + "/" + RunLayout.FORMATS));
        spec.events().forEach(event -> formats.add(event.toString()));
        steps.add(Step.action("trace:formats", "save the format of " + spec.events().size() + " events",
                Sh.command(formats)));
        return steps;
    }

    /** Start draining, then enable the events and mark the start in the trace. */
    public Step start(String iterationDir, String marker) {
        List<String> command = new ArrayList<>(List.of("lab_trace_start", layout.traceInstance(),
                iterationDir + "/" + RunLayout.DRAIN_PID, iterationDir + "/" + RunLayout.TRACE,
                iterationDir + "/" + RunLayout.DRAIN_ERR, marker));
        spec.events().forEach(event -> command.add(event.toString()));
        return Step.undoable("trace:start", "start tracing " + spec.events().size() + " events", Sh.command(command),
                Sh.command("lab_stop_bg", iterationDir + "/" + RunLayout.DRAIN_PID));
    }

    /** Stop recording, let the drainer write what it read, then append what nobody read yet. */
    public Step stop(String iterationDir) {
        return Step.action("trace:stop", "stop tracing and collect the rest of the buffer",
                        Sh.command("lab_trace_stop", layout.traceInstance(), iterationDir + "/" + RunLayout.DRAIN_PID,
                                iterationDir + "/" + RunLayout.TRACE, iterationDir + "/" + RunLayout.TRACE_STATS))
                .withTimeout(java.time.Duration.ofMinutes(2));
    }

    public List<Fetch> fetches(String iterationDir, String localDir) {
        List<Fetch> fetches = new ArrayList<>();
        fetches.add(new Fetch(iterationDir + "/" + RunLayout.TRACE, localDir + "/" + RunLayout.TRACE, false));
        fetches.add(new Fetch(iterationDir + "/" + RunLayout.TRACE_STATS, localDir + "/" + RunLayout.TRACE_STATS,
                false));
        for (TraceEvent event : spec.events()) {
            String relative = RunLayout.format(event.system(), event.name());
            fetches.add(new Fetch(iterationDir + "/" + relative, localDir + "/" + relative, false));
        }
        return fetches;
    }
}
