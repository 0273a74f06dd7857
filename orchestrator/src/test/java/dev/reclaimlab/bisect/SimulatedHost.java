package dev.reclaimlab.bisect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Candidates whose metric is drawn from one of two distributions, split at a chosen culprit: the bisect's reasoning is
 * tested against every position and failure here, in milliseconds; the real thing (kernels booted on the arm64 VM) is
 * tested in BisectIT.
 */
public final class SimulatedHost implements Bisector.Measurer {
    static final String METRIC = "memcg_reclaim.count";

    final int culprit;
    final Random random;
    double good = 1000;
    double bad = 1500;
    double noisePercent = 3;
    final Set<Integer> untestable = new HashSet<>();
    final Set<Integer> crashing = new HashSet<>();
    final List<Integer> measured = new ArrayList<>();
    final List<Integer> sizes = new ArrayList<>();
    /** Cut the batch with this number (1-based) short after this many repeats, as a SIGKILL of lab would. */
    int killAtBatch = -1;
    int killAfterRepeats = 0;
    /** What a killed batch left in its run directory. */
    Measurement left;

    SimulatedHost(int culprit, long seed) {
        this.culprit = culprit;
        this.random = new Random(seed);
    }

    @Override
    public Bisector.Batch measure(BisectState.Pending pending, Candidate candidate, Path runsDir) {
        int index = Integer.parseInt(candidate.kernel().substring("k".length()));
        measured.add(index);
        if (untestable.contains(index)) {
            sizes.add(0);
            return new Bisector.Batch(new Measurement(index, pending.purpose(), pending.runsDir(), pending.startedAt(),
                    List.of(), List.of(), "panic at boot: Kernel panic - not syncing"), null);
        }
        int n = pending.repeats();
        boolean killed = measured.size() == killAtBatch;
        if (killed) {
            n = killAfterRepeats;
        }
        sizes.add(n);
        List<Repeat> repeats = new ArrayList<>();
        for (int r = 1; r <= n; r++) {
            if (crashing.contains(index)) {
                repeats.add(new Repeat(r, "it" + r, "crashed", Map.of(), null, candidate.kernel(), "Kernel panic"));
                continue;
            }
            double mean = index >= culprit ? bad : good;
            double value = mean * (1 + noisePercent / 100 * random.nextGaussian());
            repeats.add(new Repeat(r, "it" + r, "ok", Map.of(METRIC, value), 0.0, candidate.kernel(), null));
        }
        Measurement m = new Measurement(index, pending.purpose(), pending.runsDir(), pending.startedAt(),
                List.of("boot-" + measured.size()), repeats, null);
        if (killed) {
            left = m;
            return new Bisector.Batch(m, "killed");
        }
        return new Bisector.Batch(m, null);
    }

    @Override
    public Optional<Measurement> adopt(BisectState.Pending pending, Path runsDir) {
        Optional<Measurement> adopted = Optional.ofNullable(left).filter(m -> !m.repeats().isEmpty());
        left = null;
        return adopted;
    }

    int samplesMeasured() {
        return sizes.stream().mapToInt(Integer::intValue).sum();
    }

    static BisectSettings settings(int candidates, int repeats, int maxRepeats) {
        List<Candidate> list = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            list.add(Candidate.kernel("k" + i));
        }
        return new BisectSettings("plan.yaml", "0", "arm01", list, 0, candidates - 1, repeats, maxRepeats,
                BisectSettings.DEFAULT_MAX_SPREAD_PERCENT, List.of(new Criterion(METRIC, true, 20)), 0.1,
                dev.reclaimlab.plan.VerdictSpec.WentDown.REGRESSION);
    }
}
