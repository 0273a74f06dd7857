package dev.reclaimlab.history;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A baseline pooled from the newest accepted runs of a key, as LKP pools its: runs are added, newest first, until the
 * pool holds {@code minSamples} finished repeats or {@code minRuns} runs; a pool that reaches neither is still being
 * built, and a night judged against it would be judged on too little.
 */
public final class Baselines {
    private final Runs runs;

    public Baselines(Runs runs) {
        this.runs = runs;
    }

    /**
     * @param runs       the accepted runs pooled, newest first
     * @param iterations their iterations of the key's host and variant
     * @param enough     the pool reached {@code minSamples} or {@code minRuns}
     */
    public record Pool(BaselineKey key, List<IndexedRun> runs, List<StoredIteration> iterations, boolean enough,
                       int samples) {
        public Pool {
            runs = List.copyOf(runs);
            iterations = List.copyOf(iterations);
        }

        public boolean empty() {
            return runs.isEmpty();
        }

        /** The kernel the newest pooled run ran: the last known good one. */
        public String lastGoodKernel() {
            if (runs.isEmpty()) {
                return null;
            }
            String newest = runs.get(0).runId();
            return iterations.stream().filter(i -> i.runId().equals(newest)).map(StoredIteration::kernel)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }

        public String describe() {
            return samples + " repeats of " + runs.size() + " accepted run" + (runs.size() == 1 ? "" : "s");
        }
    }

    /** The pool for {@code key}, leaving out {@code exclude} (the night being judged), with {@code metrics}' values. */
    public Pool pool(BaselineKey key, int minSamples, int minRuns, String exclude, Collection<String> metrics)
            throws IOException {
        List<IndexedRun> taken = new ArrayList<>();
        List<StoredIteration> iterations = new ArrayList<>();
        int samples = 0;
        for (IndexedRun run : runs.accepted(key)) {
            if (run.runId().equals(exclude)) {
                continue;
            }
            List<StoredIteration> its = runs.iterations(List.of(run.runId()), key.host(), key.variant(), metrics);
            taken.add(run);
            iterations.addAll(its);
            samples += (int) its.stream().filter(StoredIteration::ok).count();
            if (samples >= minSamples || taken.size() >= minRuns) {
                break;
            }
        }
        return new Pool(key, taken, iterations, samples >= minSamples || taken.size() >= minRuns, samples);
    }
}
