package dev.reclaimlab.program;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.plan.ProfileSpec;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.Step;
import java.util.List;

/**
 * The kernel stack profile of an iteration: lab's sampler (built for the host on the orchestrator and uploaded into
 * the run's work directory) runs from just before the workloads to just after them; then the boot's text symbols
 * are kept beside its samples, and both come back to be named and folded on the orchestrator.
 */
final class ProfileSteps {
    private ProfileSteps() {}

    static Step start(ProfileSpec spec, String sampler, String iterationDir) {
        String pidFile = iterationDir + "/" + RunLayout.PROFILE_PID;
        return Step.undoable("profile:start", "start sampling kernel stacks of every CPU at " + spec.frequency()
                        + " Hz (lab's sampler)",
                Sh.command("lab_profile_start", sampler, Integer.toString(spec.frequency()), pidFile,
                        iterationDir + "/" + RunLayout.PROFILE),
                Sh.command("lab_stop_bg", pidFile));
    }

    static Step stop(String iterationDir) {
        return Step.action("profile:stop", "stop sampling, keep the boot's text symbols",
                Sh.command("lab_profile_stop", iterationDir + "/" + RunLayout.PROFILE_PID,
                        iterationDir + "/" + RunLayout.PROFILE));
    }

    static List<Fetch> fetches(String iterationDir, String localDir) {
        return List.of(
                new Fetch(iterationDir + "/" + RunLayout.PROFILE_SAMPLES, localDir + "/" + RunLayout.PROFILE_SAMPLES,
                        false),
                new Fetch(iterationDir + "/" + RunLayout.PROFILE_KALLSYMS, localDir + "/" + RunLayout.PROFILE_KALLSYMS,
                        true),
                new Fetch(iterationDir + "/" + RunLayout.PROFILE_ERR, localDir + "/" + RunLayout.PROFILE_ERR, true));
    }
}
