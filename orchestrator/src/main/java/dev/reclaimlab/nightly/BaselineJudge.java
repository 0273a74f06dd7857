package dev.reclaimlab.nightly;

import dev.reclaimlab.bisect.Compared;
import dev.reclaimlab.bisect.Criterion;
import dev.reclaimlab.history.BaselineKey;
import dev.reclaimlab.history.StoredIteration;
import dev.reclaimlab.plan.VerdictSpec;
import java.util.List;
import java.util.Locale;

/**
 * Judges a night's samples of one variant against the baseline's, metric by metric: a rank test and a distribution
 * test (the smaller p, as {@code lab bisect} does), the plan's limit as the smallest change that counts, and the plan's
 * noise floor under which nothing counts. Kept free of I/O so that every rule is tested on its own.
 */
public final class BaselineJudge {
    /** Two-sided significance a change must reach to be a regression. */
    public static final double ALPHA = 0.05;

    private BaselineJudge() {}

    public static Judgement judge(BaselineKey key, Criterion criterion, VerdictSpec spec, List<StoredIteration> baseline,
                                  List<StoredIteration> night) {
        List<StoredIteration> down = night.stream().filter(StoredIteration::wentDown).toList();
        if (!down.isEmpty()) {
            String what = "the kernel " + down.get(0).status() + " under the workload in " + down.size() + " of "
                    + night.size() + " repeats";
            return spec.wentDown() == VerdictSpec.WentDown.REGRESSION
                    ? new Judgement(key, criterion, Outcome.REGRESSED, null, what)
                    : new Judgement(key, criterion, Outcome.UNKNOWN, null, what + " (verdict.went_down: unknown)");
        }
        String lossy = lossy(night, spec.maxLostPercent(), "");
        if (lossy == null) {
            lossy = lossy(baseline, spec.maxLostPercent(), "the baseline's ");
        }
        if (lossy != null) {
            return new Judgement(key, criterion, Outcome.UNKNOWN, null, lossy);
        }
        double[] base = samples(baseline, criterion.metric());
        double[] today = samples(night, criterion.metric());
        if (base.length < 2 || today.length < 2) {
            return new Judgement(key, criterion, Outcome.UNKNOWN, null, "not judged: " + base.length + " baseline and "
                    + today.length + " night samples of " + criterion.metric() + " (2 each at least)");
        }
        Compared compared = Compared.of(base, today);
        boolean beyond = criterion.regressed(compared.percent())
                && (Double.isNaN(compared.percent()) || Math.abs(compared.percent()) >= spec.noisePercent());
        String figures = compared.describe();
        if (!beyond) {
            return new Judgement(key, criterion, Outcome.GOOD, compared, figures);
        }
        if (compared.p() < ALPHA) {
            return new Judgement(key, criterion, Outcome.REGRESSED, compared, figures);
        }
        return new Judgement(key, criterion, Outcome.UNKNOWN, compared, figures + String.format(Locale.ROOT,
                "; beyond the limit but not significant at %.2g (the smallest p %d vs %d repeats can give is %.2g)",
                ALPHA, base.length, today.length, Compared.floor(base.length, today.length)));
    }

    /** The metric's values of the iterations that finished; a repeat that failed is no sample. */
    static double[] samples(List<StoredIteration> iterations, String metric) {
        return iterations.stream().filter(StoredIteration::ok).map(i -> i.values().get(metric))
                .filter(v -> v != null && Double.isFinite(v)).mapToDouble(Double::doubleValue).toArray();
    }

    private static String lossy(List<StoredIteration> iterations, double limit, String whose) {
        long over = iterations.stream().filter(i -> i.lostPercent() != null && i.lostPercent() > limit).count();
        if (over == 0) {
            return null;
        }
        double worst = iterations.stream().filter(i -> i.lostPercent() != null).mapToDouble(StoredIteration::lostPercent)
                .max().orElse(0);
        return String.format(Locale.ROOT, "not judged: %d of %s%d repeats lost more than %.2g%% of their trace events "
                + "(worst %.3g%%): their figures are not results", over, whose, iterations.size(), limit, worst);
    }
}
