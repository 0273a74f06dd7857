package dev.reclaimlab.program;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.plan.MonitorSource;
import dev.reclaimlab.plan.MonitorSpec;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;


/**
 * Host monitors: one sampler loop on the host (lab_monitor in lib.sh) writes a CSV per source while the workloads
 * run. Sampling on the host keeps the interval steady whatever the link to the orchestrator does.
 */
final class MonitorSteps {
    private MonitorSteps() {}

    static Step start(MonitorSpec spec, String iterationDir, List<String> cgroupDirs) {
        String sources = spec.sources().stream().map(MonitorSource::yamlName).collect(Collectors.joining(","));
        List<String> words = new ArrayList<>(List.of("lab_monitor_start", iterationDir + "/" + RunLayout.MONITOR_PID,
                iterationDir + "/" + RunLayout.MONITOR_ERR, iterationDir + "/" + RunLayout.MONITORS, seconds(spec),
                sources));
        if (spec.sources().contains(MonitorSource.MEMCG)) {
            words.addAll(cgroupDirs);
        }
        return Step.undoable("monitors:start", "start monitors (" + sources + ") every " + seconds(spec) + "s",
                Sh.command(words), Sh.command("lab_stop_bg", iterationDir + "/" + RunLayout.MONITOR_PID));
    }

    static Step stop(String iterationDir) {
        return Step.action("monitors:stop", "stop monitors",
                Sh.command("lab_stop_bg", iterationDir + "/" + RunLayout.MONITOR_PID));
    }

    static List<Fetch> fetches(MonitorSpec spec, String iterationDir, String localDir) {
        List<Fetch> fetches = new ArrayList<>();
        for (MonitorSource source : spec.sources()) {
            String file = RunLayout.monitor(source.yamlName());
            fetches.add(new Fetch(iterationDir + "/" + file, localDir + "/" + file, source.kernelMayLack()));
        }
        return fetches;
    }

    /** sleep(1) argument: whole seconds when possible, else a decimal (busybox and coreutils both take it). */
    private static String seconds(MonitorSpec spec) {
        long millis = spec.interval().toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0);
    }
}
