package dev.reclaimlab.bisect;

import java.util.List;

/**
 * Everything a bisect's samples say, recomputed from them whenever asked: after every batch, on {@code --resume}, and
 * by {@code lab bisect report} offline. Written into {@code bisect.json} for readers; never read back as truth.
 *
 * @param answer     one sentence for people
 * @param lastGood   index of the last candidate judged good; null before the endpoints separated
 * @param firstBad   index of the first candidate judged bad after it; null likewise
 * @param unsplit    skipped candidates between the two: the first bad may be any of them, or {@code firstBad}
 * @param gate       the endpoint check's figures, one line per criterion
 * @param used       the criteria the candidates are judged by: those on which the endpoints separate and are stable
 * @param confidence how sure the answer is: last good against first bad per criterion, and what the confirmation said
 * @param next       the batch to measure next; null when the bisect is over
 */
public record Analysis(Outcome outcome, String answer, Integer lastGood, Integer firstBad, List<Integer> unsplit,
                       List<String> gate, List<String> used, List<Judged> candidates, List<Step> path,
                       List<String> confidence, Action next, int kernelsBooted, int boots) {
    public Analysis {
        unsplit = List.copyOf(unsplit);
        gate = List.copyOf(gate);
        used = List.copyOf(used);
        candidates = List.copyOf(candidates);
        path = List.copyOf(path);
        confidence = List.copyOf(confidence);
    }

    public enum Outcome {
        MEASURING, FOUND, NO_REGRESSION, INCONCLUSIVE, ABORTED;

        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One candidate's verdict and the figures behind it. */
    public record Judged(int index, String kernel, Verdict verdict, String reason, int repeats, List<Figure> figures) {
        public Judged {
            figures = List.copyOf(figures);
        }
    }

    /** One criterion on one candidate: its samples, and how they compare with each endpoint's. */
    public record Figure(String metric, Spread spread, Compared vsGood, Compared vsBad) {}

    /** One batch in the order it was measured, and the candidate's verdict right after it. */
    public record Step(int candidate, String kernel, String purpose, int repeats, Verdict verdict, String runDir) {}

    /** A batch of {@code repeats} to measure on {@code candidate}, and why. */
    public record Action(int candidate, int repeats, String purpose) {}
}
