package dev.reclaimlab.program;

import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.step.Upload;
import java.time.Duration;
import java.util.List;

/**
 * A plan compiled for one host: the run-wide preparation (the run's folder and journal, the tracefs mount), steps
 * that install what the iterations use (kernel modules: their folder, and building them where the host builds them),
 * files to copy there (modules built on the orchestrator), and one program per variant and repeat.
 * The final teardown replays whatever the journal still holds.
 *
 * @param watchdog how long the host waits for a heartbeat before it undoes the run itself; the run sends them
 *                 well within it
 */
public record HostProgram(String host, HostLayout layout, Duration watchdog, List<Step> prepare, List<Upload> uploads,
                          List<Step> install, List<IterationProgram> iterations) {
    public HostProgram {
        prepare = List.copyOf(prepare);
        uploads = List.copyOf(uploads);
        install = List.copyOf(install);
        iterations = List.copyOf(iterations);
    }
}
