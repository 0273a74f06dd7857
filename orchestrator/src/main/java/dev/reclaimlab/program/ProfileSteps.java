package dev.reclaimlab.program;

import dev.reclaimlab.artifacts.RunLayout;
import dev.reclaimlab.plan.ProfileSpec;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.Fetch;
import dev.reclaimlab.step.Step;
import java.util.List;

/**
 * The kernel stack profile of an iteration: lab's sampler (built for the host on the orchestrator and uploaded into
 * the run's work directory) or the host's perf runs from just before the workloads to just after them; perf's
 * samples are turned into the sampler's lines on the host; then the boot's text symbols are kept beside them, and
 * both come back to be named and folded on the orchestrator the same way, whichever sampled.
 */
final class ProfileSteps {
    private ProfileSteps() {}

    /** @param perf perf takes the samples (else lab's sampler, at {@code sampler} on the host) */
    static Step start(ProfileSpec spec, boolean perf, String sampler, String iterationDir) {
        String pidFile = iterationDir + "/" + RunLayout.PROFILE_PID;
        String hz = Integer.toString(spec.frequency());
        String out = iterationDir + "/" + RunLayout.PROFILE;
        return Step.undoable("profile:start", "start sampling kernel stacks of every CPU at " + spec.frequency()
                        + " Hz (" + (perf ? "perf record" : "lab's sampler") + ")",
                perf ? Sh.command("lab_profile_start_perf", hz, pidFile, out)
                        : Sh.command("lab_profile_start", sampler, hz, pidFile, out),
                Sh.command("lab_stop_bg", pidFile));
    }

    static Step stop(ProfileSpec spec, boolean perf, String iterationDir) {
        String pidFile = iterationDir + "/" + RunLayout.PROFILE_PID;
        String out = iterationDir + "/" + RunLayout.PROFILE;
        return perf ? Step.action("profile:stop", "stop perf record, turn its samples into lab's lines, keep the "
                        + "boot's text symbols",
                Sh.command("lab_profile_stop_perf", pidFile, out, Integer.toString(spec.frequency())))
                .withTimeout(java.time.Duration.ofMinutes(5))
                : Step.action("profile:stop", "stop sampling, keep the boot's text symbols",
                Sh.command("lab_profile_stop", pidFile, out));
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
