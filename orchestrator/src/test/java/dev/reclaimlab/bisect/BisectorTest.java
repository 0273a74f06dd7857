package dev.reclaimlab.bisect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BisectorTest {
    @TempDir
    Path dir;

    private Bisector.Ended bisect(BisectSettings settings, SimulatedHost host) throws Exception {
        return new Bisector(dir, host, message -> {}).run(BisectState.start(settings));
    }

    @Test
    void findsTheCulpritAtEveryPositionWithinTheBootBudget() throws Exception {
        for (int n : new int[] {8, 14}) {
            int budget = (int) Math.ceil(Math.log(n) / Math.log(2)) + 3;
            for (int culprit = 1; culprit < n; culprit++) {
                SimulatedHost host = new SimulatedHost(culprit, culprit * 31L + n);
                Bisector.Ended ended = bisect(SimulatedHost.settings(n, 5, 10), host);
                Analysis a = ended.analysis();
                assertEquals(Analysis.Outcome.FOUND, a.outcome(), n + "/" + culprit + ": " + a.answer() + "\n"
                        + a.candidates().stream().map(Analysis.Judged::reason).toList());
                assertEquals(culprit, a.firstBad(), a.answer());
                assertEquals(culprit - 1, a.lastGood(), a.answer());
                int kernels = new HashSet<>(host.measured).size();
                assertTrue(kernels <= budget, n + "/" + culprit + ": " + kernels + " kernels > " + budget);
                assertEquals(kernels, a.kernelsBooted());
                // the two it names were measured once more
                assertEquals(2, a.path().stream().filter(s -> s.purpose().equals(Measurement.CONFIRM)).count());
            }
        }
    }

    @Test
    void aSpentBudgetStopsBeforeTheNextBatchAndResumeFinishes() throws Exception {
        SimulatedHost host = new SimulatedHost(3, 3);
        BisectSettings settings = SimulatedHost.settings(8, 5, 10);
        Bisector.Ended stopped = new Bisector(dir, host, m -> { }).until(java.time.Instant.now().minusSeconds(1))
                .run(BisectState.start(settings));
        assertTrue(stopped.stopped().startsWith("the time budget is spent"), stopped.stopped());
        assertEquals(0, host.measured.size(), "no batch started after the deadline");
        Bisector.Ended resumed = new Bisector(dir, host, m -> { }).run(BisectState.load(dir));
        assertEquals(Analysis.Outcome.FOUND, resumed.analysis().outcome());
        assertEquals(3, resumed.analysis().firstBad());
    }

    @Test
    void anUntestableCandidateIsSkippedAndTheAnswerStillFound() throws Exception {
        SimulatedHost host = new SimulatedHost(7, 7);
        host.untestable.add(4); // the first one the search picks in 0..9
        Analysis a = bisect(SimulatedHost.settings(10, 5, 10), host).analysis();
        assertEquals(Analysis.Outcome.FOUND, a.outcome(), a.answer() + "\n"
                + a.candidates().stream().map(Analysis.Judged::reason).toList());
        assertEquals(7, a.firstBad());
        assertEquals(4, host.measured.get(2));
        assertEquals(Verdict.UNTESTABLE, a.candidates().get(4).verdict());
        assertTrue(a.candidates().get(4).reason().contains("panic"), a.candidates().get(4).reason());
    }

    @Test
    void anUntestableNeighbourOfTheCulpritLeavesARangeItNames() throws Exception {
        SimulatedHost host = new SimulatedHost(6, 11);
        host.untestable.add(5);
        Analysis a = bisect(SimulatedHost.settings(10, 5, 10), host).analysis();
        assertEquals(Analysis.Outcome.INCONCLUSIVE, a.outcome(), a.answer());
        assertEquals(4, a.lastGood());
        assertEquals(6, a.firstBad());
        assertEquals(List.of(5), a.unsplit());
        assertTrue(a.answer().contains("k5 was skipped"), a.answer());
    }

    @Test
    void endpointsThatDoNotSeparateAreRefusedWithTheirFiguresAndNothingIsBisected() throws Exception {
        SimulatedHost host = new SimulatedHost(5, 3);
        host.bad = host.good; // no regression at all
        host.noisePercent = 5;
        Analysis a = bisect(SimulatedHost.settings(10, 5, 5), host).analysis();
        assertEquals(Analysis.Outcome.NO_REGRESSION, a.outcome(), a.answer());
        assertEquals(List.of(0, 9), host.measured);
        assertTrue(a.gate().get(0).startsWith(SimulatedHost.METRIC + ": good "), a.gate().toString());
        assertTrue(a.gate().get(0).endsWith("no regression"), a.gate().toString());
    }

    @Test
    void aSeparatedButUnstableMetricIsRefused() throws Exception {
        SimulatedHost host = new SimulatedHost(5, 5);
        host.bad = 3000;
        host.noisePercent = 40;
        Analysis a = bisect(SimulatedHost.settings(10, 6, 6), host).analysis();
        assertEquals(List.of(0, 9), host.measured, a.gate().toString());
        assertEquals(Analysis.Outcome.INCONCLUSIVE, a.outcome(), a.answer() + " " + a.gate());
        assertTrue(a.gate().get(0).contains("not stable"), a.gate().toString());
    }

    @Test
    void aKernelThatGoesDownUnderTheWorkloadIsBadWhenThePlanSaysSo() throws Exception {
        SimulatedHost host = new SimulatedHost(3, 13);
        for (int i = 3; i < 8; i++) {
            host.crashing.add(i);
        }
        host.bad = host.good; // only going down tells them apart
        Analysis a = bisect(SimulatedHost.settings(8, 4, 8), host).analysis();
        assertEquals(Analysis.Outcome.FOUND, a.outcome(), a.answer() + " " + a.gate());
        assertEquals(3, a.firstBad());
        assertTrue(a.candidates().get(3).reason().contains("went down"), a.candidates().get(3).reason());
    }

    @Test
    void aResumedBisectTakesTheFinishedRepeatsAndMeasuresNothingTwice() throws Exception {
        SimulatedHost whole = new SimulatedHost(4, 99);
        Analysis uninterrupted = new Bisector(dir.resolve("a"), whole, m -> {})
                .run(BisectState.start(SimulatedHost.settings(9, 5, 10))).analysis();

        SimulatedHost host = new SimulatedHost(4, 99);
        host.killAtBatch = 3;
        host.killAfterRepeats = 2;
        Path b = dir.resolve("b");
        Bisector.Ended first = new Bisector(b, host, m -> {}).run(BisectState.start(SimulatedHost.settings(9, 5, 10)));
        assertEquals("killed", first.stopped());
        BisectState saved = BisectState.load(b);
        assertEquals(2, saved.measurements().size()); // the endpoints
        assertEquals(4, saved.pending().candidate()); // the middle of 0..8, cut short
        Analysis resumed = new Bisector(b, host, m -> {}).run(BisectState.load(b)).analysis();
        assertEquals(uninterrupted.firstBad(), resumed.firstBad());
        assertEquals(uninterrupted.outcome(), resumed.outcome());
        // the killed batch's two finished repeats were kept: the rest of that batch was 3 more, no repeat twice
        assertEquals(whole.samplesMeasured(), host.samplesMeasured());
    }
}
