package dev.reclaimlab.bisect;

import java.nio.file.Path;

/** A finished bisect over simulated candidates, for tests of what reads a bisect's folder (lab bisect report). */
public final class SimulatedBisect {
    private SimulatedBisect() {}

    /** Bisects {@code candidates} kernels k0..kN-1 whose regression arrived with k{@code culprit}, into {@code dir}. */
    public static Bisector.Ended run(Path dir, int candidates, int culprit) throws Exception {
        SimulatedHost host = new SimulatedHost(culprit, 42);
        return new Bisector(dir, host, m -> { }).run(BisectState.start(SimulatedHost.settings(candidates, 5, 10)));
    }
}
