package dev.reclaimlab.bisect;

import dev.reclaimlab.plan.VerdictSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The bisect's reasoning over the samples it has: no I/O, so a crashed bisect resumes with the same decisions and
 * {@code lab bisect report} recomputes them offline. Order of business:
 * <ol>
 *   <li>both endpoints are measured, and must separate on a criterion whose samples are stable (else the bisect says
 *       why and stops: nothing would be learnt from the candidates);</li>
 *   <li>each candidate between the last good and the first bad gets a batch of repeats and a verdict against both
 *       endpoints; an unknown verdict gets more repeats (doubling) up to the maximum, then the candidate is skipped;</li>
 *   <li>the next candidate is the unmeasured one nearest the middle of the remaining range;</li>
 *   <li>once nothing in the range is left to measure, the last good and the first bad are measured once more, and the
 *       answer holds only if that confirmation agrees.</li>
 * </ol>
 */
public final class Bisection {
    private final BisectSettings settings;
    private final List<Measurement> measurements;

    public Bisection(BisectSettings settings, List<Measurement> measurements) {
        this.settings = settings;
        this.measurements = List.copyOf(measurements);
    }

    public Analysis analyze() {
        List<Analysis.Step> path = path();
        int booted = (int) measurements.stream().filter(m -> !m.boots().isEmpty() || m.untestable() != null)
                .map(Measurement::candidate).distinct().count();
        int boots = measurements.stream().mapToInt(m -> Math.max(m.boots().size(), m.untestable() == null ? 0 : 1)).sum();
        return decide(path, booted, boots);
    }

    private Analysis decide(List<Analysis.Step> path, int booted, int boots) {
        Result r = new Result(path, booted, boots);
        int good = settings.good();
        int bad = settings.bad();
        for (int endpoint : new int[] {good, bad}) {
            String which = endpoint == good ? "good" : "bad";
            if (untestable(endpoint).isPresent() && attempts(endpoint) == 0) {
                return r.over(Analysis.Outcome.ABORTED, "the " + which + " endpoint " + kernel(endpoint)
                        + " cannot be measured: " + untestable(endpoint).get());
            }
            if (attempts(endpoint) < settings.repeats()) {
                return r.next(new Analysis.Action(endpoint, settings.repeats() - attempts(endpoint),
                        Measurement.ENDPOINT), "the " + which + " endpoint");
            }
        }
        if (repeats(good).stream().anyMatch(Repeat::wentDown)) {
            return r.over(Analysis.Outcome.ABORTED, "the good endpoint " + kernel(good) + " went down under the "
                    + "workload (" + wentDownReason(good) + "): it is not a good kernel for this plan");
        }
        Gate gate = gate();
        r.gate.addAll(gate.figures);
        gate.used.forEach(c -> r.used.add(c.toString()));
        if (wentDownSeparates()) {
            r.used.add("went down under the workload (the plan's verdict counts it as a regression)");
        }
        if (r.used.isEmpty()) {
            Optional<Analysis.Action> more = moreEndpointRepeats(gate);
            if (more.isPresent()) {
                return r.next(more.get(), "the endpoints do not separate yet: more repeats");
            }
            return r.over(gate.unstable ? Analysis.Outcome.INCONCLUSIVE : Analysis.Outcome.NO_REGRESSION,
                    gate.unstable ? "refused: the metric that separates the endpoints is not stable enough to judge "
                            + "candidates by (spread above " + fmt(settings.maxSpreadPercent()) + "%)"
                            : "no regression between the endpoints " + kernel(good) + " and " + kernel(bad)
                            + ": nothing to bisect");
        }
        List<Criterion> used = gate.used;
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < settings.candidates().size(); i++) {
            Analysis.Judged judged = judge(i, used, all(i), false);
            verdicts.add(judged.verdict());
            r.candidates.add(judged);
        }
        int firstBad = bad;
        for (int i = good + 1; i < bad; i++) {
            if (verdicts.get(i) == Verdict.BAD) {
                firstBad = i;
                break;
            }
        }
        int lastGood = good;
        for (int i = firstBad - 1; i > good; i--) {
            if (verdicts.get(i) == Verdict.GOOD) {
                lastGood = i;
                break;
            }
        }
        r.lastGood = lastGood;
        r.firstBad = firstBad;
        for (int i = lastGood + 1; i < firstBad; i++) {
            if (verdicts.get(i) == Verdict.UNKNOWN) {
                int have = attempts(i);
                if (have < settings.repeats()) { // a batch cut short by a crash of lab: the rest of it
                    return r.next(new Analysis.Action(i, settings.repeats() - have, Measurement.BISECT),
                            "the rest of " + kernel(i) + "'s batch");
                }
                return r.next(new Analysis.Action(i, Math.min(have, settings.maxRepeats() - have),
                        Measurement.MORE), kernel(i) + " is not clearly good or bad yet: more repeats");
            }
        }
        Optional<Integer> middle = middle(lastGood, firstBad, verdicts);
        if (middle.isPresent()) {
            return r.next(new Analysis.Action(middle.get(), settings.repeats(), Measurement.BISECT),
                    "the regression arrived after " + kernel(lastGood) + " and by " + kernel(firstBad));
        }
        for (int i = lastGood + 1; i < firstBad; i++) {
            r.unsplit.add(i);
        }
        for (int i : new int[] {firstBad, lastGood}) {
            int confirmed = confirmation(i).size();
            if (confirmed < settings.repeats() && untestableConfirmation(i).isEmpty()) {
                return r.next(new Analysis.Action(i, settings.repeats() - confirmed, Measurement.CONFIRM),
                        "converged: measured once more to confirm");
            }
        }
        confidence(r, used, lastGood, firstBad);
        Optional<String> disagreement = confirmation(used, lastGood, firstBad);
        String range = kernel(lastGood) + " (last good) → " + kernel(firstBad) + " (first bad)";
        if (disagreement.isPresent()) {
            return r.over(Analysis.Outcome.INCONCLUSIVE, range + " did not hold when measured again: "
                    + disagreement.get());
        }
        if (!r.unsplit.isEmpty()) {
            List<String> names = r.unsplit.stream().map(this::kernel).toList();
            return r.over(Analysis.Outcome.INCONCLUSIVE, "the regression arrived after " + kernel(lastGood)
                    + " and by " + kernel(firstBad) + ", but the range could not be split: "
                    + String.join(", ", names) + (names.size() == 1 ? " was" : " were") + " skipped");
        }
        return r.over(Analysis.Outcome.FOUND, "first bad: " + kernel(firstBad) + "; last good: " + kernel(lastGood));
    }

    /** The endpoint check: on which criteria good and bad differ by the regression, and whether those are stable. */
    private record Gate(List<Criterion> used, List<String> figures, boolean unstable, boolean leaning) {
        Gate {
            used = List.copyOf(used);
            figures = List.copyOf(figures);
        }
    }

    private Gate gate() {
        List<Criterion> used = new ArrayList<>();
        List<String> figures = new ArrayList<>();
        boolean unstable = false;
        boolean leaning = false;
        for (Criterion c : settings.criteria()) {
            double[] g = values(repeats(settings.good()), c);
            double[] b = values(repeats(settings.bad()), c);
            if (g.length < 2 || b.length < 2) {
                figures.add(c + ": too few samples with figures (good " + g.length + ", bad " + b.length
                        + "; lost events or failed repeats are not samples)");
                continue;
            }
            Compared compared = Compared.of(g, b);
            Spread sg = Spread.of(g);
            Spread sb = Spread.of(b);
            boolean separated = compared.p() < BisectSettings.ALPHA && c.regressed(compared.percent());
            boolean stable = sg.relativePercent() <= settings.maxSpreadPercent()
                    && sb.relativePercent() <= settings.maxSpreadPercent();
            leaning |= c.regressed(compared.percent()) && !separated;
            String line = c.metric() + ": good " + sg.describe() + ", bad " + sb.describe() + ", change "
                    + compared.describe() + ", needs " + c;
            if (separated && stable) {
                used.add(c);
                figures.add(line + ": separated");
            } else if (separated) {
                unstable = true;
                figures.add(line + ": separated but not stable (spread above " + fmt(settings.maxSpreadPercent())
                        + "%)");
            } else {
                figures.add(line + ": " + (c.regressed(compared.percent()) ? "not significant at p<"
                        + BisectSettings.ALPHA + " (the smallest p " + compared.baseN() + " vs " + compared.otherN()
                        + " repeats can reach is " + String.format(Locale.ROOT, "%.2g", Compared.floor(
                        compared.baseN(), compared.otherN())) + ")" : "no regression"));
            }
        }
        return new Gate(used, figures, unstable, leaning);
    }

    /** Endpoints that lean the regression's way without separating get more repeats, up to the maximum. */
    private Optional<Analysis.Action> moreEndpointRepeats(Gate gate) {
        if (!gate.leaning || gate.unstable) {
            return Optional.empty();
        }
        for (int endpoint : new int[] {settings.good(), settings.bad()}) {
            int have = attempts(endpoint);
            if (have < settings.maxRepeats()) {
                return Optional.of(new Analysis.Action(endpoint, Math.min(have, settings.maxRepeats() - have),
                        Measurement.MORE));
            }
        }
        return Optional.empty();
    }

    private boolean wentDownSeparates() {
        return settings.wentDown() == VerdictSpec.WentDown.REGRESSION
                && repeats(settings.bad()).stream().anyMatch(Repeat::wentDown)
                && repeats(settings.good()).stream().noneMatch(Repeat::wentDown);
    }

    /**
     * A candidate's verdict from {@code repeats} (all of its samples, or one confirmation batch alone): by each criterion
     * in use, against both endpoints.
     */
    private Analysis.Judged judge(int i, List<Criterion> used, List<Repeat> repeats, boolean batchOnly) {
        String kernel = kernel(i);
        if (repeats.isEmpty()) {
            Optional<String> why = untestable(i);
            return new Analysis.Judged(i, kernel, why.isPresent() ? Verdict.UNTESTABLE : Verdict.UNMEASURED,
                    why.orElse(""), 0, List.of());
        }
        List<Analysis.Figure> figures = new ArrayList<>();
        for (Criterion c : used) {
            figures.add(figure(c, i == settings.good() && !batchOnly ? null : repeats));
        }
        if (i == settings.good() && !batchOnly) {
            return new Analysis.Judged(i, kernel, Verdict.GOOD, "the good endpoint", repeats.size(), figures);
        }
        if (i == settings.bad() && !batchOnly) {
            return new Analysis.Judged(i, kernel, Verdict.BAD, "the bad endpoint", repeats.size(), figures);
        }
        if (repeats.stream().anyMatch(Repeat::wentDown)) {
            String how = "went down under the workload (" + wentDownReason(repeats) + ")";
            if (settings.wentDown() == VerdictSpec.WentDown.REGRESSION) {
                return new Analysis.Judged(i, kernel, Verdict.BAD, how + ": a regression, as the plan's verdict says",
                        repeats.size(), figures);
            }
            return unknownOrSkipped(i, kernel, how + "; the plan's verdict counts that as unknown", repeats, figures,
                    batchOnly);
        }
        Set<Verdict> says = new HashSet<>();
        List<String> reasons = new ArrayList<>();
        for (int k = 0; k < used.size(); k++) {
            Criterion c = used.get(k);
            Analysis.Figure f = figures.get(k);
            if (f.spread().n() < 2) {
                says.add(Verdict.UNKNOWN);
                reasons.add(c.metric() + ": " + f.spread().n() + " sample(s) with figures");
                continue;
            }
            boolean unlikeGood = f.vsGood().p() < BisectSettings.ALPHA;
            boolean unlikeBad = f.vsBad().p() < BisectSettings.ALPHA;
            double span = f.vsBad().baseMedian() - f.vsGood().baseMedian();
            double position = span == 0 ? 0.5 : (f.spread().n() == 0 ? 0.5
                    : (Compared.median(values(repeats, c)) - f.vsGood().baseMedian()) / span);
            String where = String.format(Locale.ROOT, "%s: %.0f%% of the way from good to bad, vs good %s, vs bad %s",
                    c.metric(), 100 * position, f.vsGood().describe(), f.vsBad().describe());
            // Bad is what the plan calls a regression against the good endpoint; good is unlike the bad endpoint and
            // short of that. A candidate beyond either endpoint (or between them, unlike both) is judged the same way:
            // few samples of an endpoint often sit a little off, and the plan's limit is what matters.
            boolean regressed = c.regressed(f.vsGood().percent());
            if (unlikeGood && regressed) {
                says.add(Verdict.BAD);
            } else if (unlikeBad && !regressed) {
                says.add(Verdict.GOOD);
            } else {
                says.add(Verdict.UNKNOWN);
                where += regressed ? " (not yet unlike the good endpoint)" : " (not yet unlike the bad endpoint)";
            }
            reasons.add(where);
        }
        String reason = String.join("; ", reasons);
        if (says.contains(Verdict.GOOD) && says.contains(Verdict.BAD)) {
            return unknownOrSkipped(i, kernel, "the criteria disagree: " + reason, repeats, figures, batchOnly);
        }
        if (says.contains(Verdict.BAD)) {
            return new Analysis.Judged(i, kernel, Verdict.BAD, reason, repeats.size(), figures);
        }
        if (says.equals(Set.of(Verdict.GOOD)) || (used.isEmpty() && wentDownSeparates()
                && repeats.size() >= settings.repeats())) {
            return new Analysis.Judged(i, kernel, Verdict.GOOD, used.isEmpty()
                    ? "did not go down in " + repeats.size() + " repeats" : reason, repeats.size(), figures);
        }
        return unknownOrSkipped(i, kernel, reason, repeats, figures, batchOnly);
    }

    private Analysis.Judged unknownOrSkipped(int i, String kernel, String reason, List<Repeat> repeats,
                                             List<Analysis.Figure> figures, boolean batchOnly) {
        boolean exhausted = batchOnly || attempts(i) >= settings.maxRepeats();
        return new Analysis.Judged(i, kernel, exhausted ? Verdict.SKIPPED : Verdict.UNKNOWN,
                exhausted && !batchOnly ? "still unknown after " + attempts(i) + " repeats: " + reason : reason,
                repeats.size(), figures);
    }

    /** One criterion on a candidate's samples; {@code repeats} null for the good endpoint against itself. */
    private Analysis.Figure figure(Criterion c, List<Repeat> repeats) {
        double[] good = values(repeats(settings.good()), c);
        double[] bad = values(repeats(settings.bad()), c);
        double[] own = repeats == null ? good : values(repeats, c);
        return new Analysis.Figure(c.metric(), Spread.of(own), Compared.of(good, own), Compared.of(bad, own));
    }

    /** The unmeasured candidate nearest the middle of (lastGood, firstBad), the lower one on a tie. */
    private static Optional<Integer> middle(int lastGood, int firstBad, List<Verdict> verdicts) {
        double mid = (lastGood + firstBad) / 2.0;
        Integer best = null;
        for (int i = lastGood + 1; i < firstBad; i++) {
            if (verdicts.get(i) != Verdict.UNMEASURED) {
                continue;
            }
            if (best == null || Math.abs(i - mid) < Math.abs(best - mid)) {
                best = i;
            }
        }
        return Optional.ofNullable(best);
    }

    /** How sure: the last good against the first bad, on every criterion in use, with all their samples. */
    private void confidence(Result r, List<Criterion> used, int lastGood, int firstBad) {
        for (Criterion c : used) {
            Compared compared = Compared.of(values(repeats(lastGood), c), values(repeats(firstBad), c));
            r.confidence.add(c.metric() + ": " + kernel(lastGood) + " → " + kernel(firstBad) + " "
                    + compared.describe());
        }
        r.confidence.add("confirmed: both measured once more after the search, and judged the same again");
    }

    /** What the confirmation batches say, if they disagree with the search; empty when they agree. */
    private Optional<String> confirmation(List<Criterion> used, int lastGood, int firstBad) {
        List<String> problems = new ArrayList<>();
        for (int i : new int[] {lastGood, firstBad}) {
            Verdict expected = i == lastGood ? Verdict.GOOD : Verdict.BAD;
            List<Repeat> batch = confirmation(i);
            if (batch.isEmpty()) {
                problems.add(kernel(i) + " could not be measured again: " + untestableConfirmation(i).orElse("?"));
                continue;
            }
            Analysis.Judged again = judgeBatch(i, used, batch);
            if (again.verdict() != expected) {
                problems.add(kernel(i) + " was " + again.verdict().word() + " when measured again: " + again.reason());
            }
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    /**
     * One confirmation batch judged on its own: an endpoint's against the other endpoint (it can only be compared with
     * that), any other candidate's against both.
     */
    private Analysis.Judged judgeBatch(int i, List<Criterion> used, List<Repeat> batch) {
        if (i != settings.good() && i != settings.bad()) {
            return judge(i, used, batch, true);
        }
        boolean good = i == settings.good();
        if (batch.stream().anyMatch(Repeat::wentDown)) {
            return new Analysis.Judged(i, kernel(i), good ? Verdict.UNKNOWN : Verdict.BAD, "went down ("
                    + wentDownReason(batch) + ")", batch.size(), List.of());
        }
        if (used.isEmpty()) { // only going down separated the endpoints
            return new Analysis.Judged(i, kernel(i), good ? Verdict.GOOD : Verdict.UNKNOWN, "did not go down",
                    batch.size(), List.of());
        }
        List<String> reasons = new ArrayList<>();
        boolean holds = true;
        for (Criterion c : used) {
            double[] other = values(repeats(good ? settings.bad() : settings.good()), c);
            double[] own = values(batch, c);
            Compared compared = good ? Compared.of(own, other) : Compared.of(other, own);
            holds &= compared.p() < BisectSettings.ALPHA && c.regressed(compared.percent());
            reasons.add(c.metric() + " good → bad " + compared.describe());
        }
        Verdict verdict = holds ? (good ? Verdict.GOOD : Verdict.BAD) : Verdict.UNKNOWN;
        return new Analysis.Judged(i, kernel(i), verdict, String.join("; ", reasons), batch.size(), List.of());
    }

    /** Every batch in order, with the verdict of its candidate right after it. */
    private List<Analysis.Step> path() {
        List<Analysis.Step> steps = new ArrayList<>();
        for (int n = 1; n <= measurements.size(); n++) {
            Measurement m = measurements.get(n - 1);
            Bisection upTo = new Bisection(settings, measurements.subList(0, n));
            Verdict verdict = upTo.verdictAfter(m.candidate());
            steps.add(new Analysis.Step(m.candidate(), kernel(m.candidate()), m.purpose(), m.repeats().size(), verdict,
                    m.runDir()));
        }
        return steps;
    }

    private Verdict verdictAfter(int i) {
        if (all(i).isEmpty()) {
            return untestable(i).isPresent() ? Verdict.UNTESTABLE : Verdict.UNMEASURED;
        }
        if (attempts(settings.good()) == 0 || attempts(settings.bad()) == 0) {
            return Verdict.UNKNOWN;
        }
        return judge(i, gate().used, all(i), false).verdict();
    }

    // ---- samples

    private List<Repeat> all(int i) {
        return repeats(i);
    }

    private List<Repeat> repeats(int i) {
        List<Repeat> out = new ArrayList<>();
        for (Measurement m : measurements) {
            if (m.candidate() == i) {
                out.addAll(m.repeats().stream().filter(r -> !"interrupted".equals(r.status())
                        && !"untestable".equals(r.status())).toList());
            }
        }
        return out;
    }

    /** The repeats of candidate {@code i} measured to confirm the answer (one batch, or one finished after a crash). */
    private List<Repeat> confirmation(int i) {
        return measurements.stream().filter(m -> m.candidate() == i && m.purpose().equals(Measurement.CONFIRM))
                .flatMap(m -> m.repeats().stream())
                .filter(r -> !"interrupted".equals(r.status()) && !"untestable".equals(r.status())).toList();
    }

    private Optional<String> untestableConfirmation(int i) {
        return measurements.stream().filter(m -> m.candidate() == i && m.purpose().equals(Measurement.CONFIRM)
                && m.untestable() != null).map(Measurement::untestable).findFirst();
    }

    /** Repeats that ran on candidate {@code i} (whatever their figures): what bounds its further repeats. */
    private int attempts(int i) {
        return repeats(i).size();
    }

    private Optional<String> untestable(int i) {
        return measurements.stream().filter(m -> m.candidate() == i && m.untestable() != null)
                .map(Measurement::untestable).reduce((a, b) -> b);
    }

    private double[] values(List<Repeat> repeats, Criterion c) {
        return repeats.stream().filter(r -> r.counts(settings.maxLostPercent()))
                .map(r -> r.values().get(c.metric())).filter(v -> v != null && !v.isNaN())
                .mapToDouble(Double::doubleValue).toArray();
    }

    private String wentDownReason(int i) {
        return wentDownReason(repeats(i));
    }

    private static String wentDownReason(List<Repeat> repeats) {
        return repeats.stream().filter(Repeat::wentDown)
                .map(r -> "r" + r.repeat() + " " + r.status() + (r.error() == null ? "" : ": " + r.error()))
                .findFirst().orElse("");
    }

    private String kernel(int i) {
        return settings.candidates().get(i).label();
    }

    private static String fmt(double v) {
        return dev.reclaimlab.plan.PlanNumbers.format(v);
    }

    /** The analysis being put together. */
    private final class Result {
        final List<Analysis.Step> path;
        final int booted;
        final int boots;
        final List<String> gate = new ArrayList<>();
        final List<String> used = new ArrayList<>();
        final List<Analysis.Judged> candidates = new ArrayList<>();
        final List<Integer> unsplit = new ArrayList<>();
        final List<String> confidence = new ArrayList<>();
        Integer lastGood;
        Integer firstBad;

        Result(List<Analysis.Step> path, int booted, int boots) {
            this.path = path;
            this.booted = booted;
            this.boots = boots;
        }

        Analysis next(Analysis.Action action, String why) {
            fillCandidates();
            return new Analysis(Analysis.Outcome.MEASURING, why, lastGood, firstBad, unsplit, gate, used, candidates,
                    path, confidence, action, booted, boots);
        }

        Analysis over(Analysis.Outcome outcome, String answer) {
            fillCandidates();
            return new Analysis(outcome, answer, lastGood, firstBad, unsplit, gate, used, candidates, path,
                    confidence, null, booted, boots);
        }

        /** Before the endpoints separate, candidates are listed with what is known of them: nothing, or untestable. */
        private void fillCandidates() {
            if (!candidates.isEmpty()) {
                return;
            }
            for (int i = 0; i < settings.candidates().size(); i++) {
                Optional<String> why = untestable(i);
                candidates.add(new Analysis.Judged(i, kernel(i), attempts(i) > 0 ? Verdict.UNKNOWN
                        : why.isPresent() ? Verdict.UNTESTABLE : Verdict.UNMEASURED, why.orElse(""), attempts(i),
                        List.of()));
            }
        }
    }
}
