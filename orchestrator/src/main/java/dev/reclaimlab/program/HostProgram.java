package dev.reclaimlab.program;

import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import dev.reclaimlab.step.Upload;
import java.util.List;

/**
 * A plan compiled for one host: the run-wide preparation (journal, tracefs mount, work directory), steps that install
 * what the iterations use (kernel modules: their folder, and building them where the host builds them), files to copy
 * there (modules built on the orchestrator), and one program per variant and repeat.
 * The final teardown replays whatever the journal still holds.
 */
public record HostProgram(String host, HostLayout layout, List<Step> prepare, List<Upload> uploads,
                          List<Step> install, List<IterationProgram> iterations) {
    public HostProgram {
        prepare = List.copyOf(prepare);
        uploads = List.copyOf(uploads);
        install = List.copyOf(install);
        iterations = List.copyOf(iterations);
    }
}
