package dev.reclaimlab.program;

import dev.reclaimlab.plan.TracingSpec;
import dev.reclaimlab.plan.Variant;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.Step;
import java.util.List;
import java.util.Optional;

/**
 * Everything one (variant, repeat) does on one host: set up, run, fetch results. Afterwards the runner tears down
 * every journal entry this iteration made, so the next one starts from the same host state.
 *
 * @param remoteDir where the iteration's files live on the host
 * @param localDir  where its results go, relative to the run directory
 * @param capture   how the trace is read on the host, as the plan asked; empty when it traces nothing
 */
public record IterationProgram(Variant variant, int repeat, String remoteDir, String localDir, List<Step> setup,
                               List<Step> run, List<Fetch> fetches, Optional<TracingSpec.Capture> capture) {
    public IterationProgram {
        setup = List.copyOf(setup);
        run = List.copyOf(run);
        fetches = List.copyOf(fetches);
    }
}
