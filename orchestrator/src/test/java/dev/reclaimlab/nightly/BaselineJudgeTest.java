package dev.reclaimlab.nightly;

import dev.reclaimlab.bisect.Criterion;
import dev.reclaimlab.history.BaselineKey;
import dev.reclaimlab.history.Regression;
import dev.reclaimlab.history.StoredIteration;
import dev.reclaimlab.plan.VerdictSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules of a night's verdict and of the tracker, one at a time. */
class BaselineJudgeTest {
    static final BaselineKey KEY = new BaselineKey("ab".repeat(32), "arm01", "pods=4");
    static final Criterion RISE = new Criterion("shrink_slab.starts", true, 50);

    static List<StoredIteration> samples(String status, Double lost, double... values) {
        List<StoredIteration> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            out.add(new StoredIteration("run", "2026-12-03T01:00:00.000Z", i, "arm01", "6.1.0-57-arm64", "", "pods=4",
                    i + 1, status, lost, "d", Map.of("shrink_slab.starts", values[i])));
        }
        return out;
    }

    static Judgement judge(VerdictSpec spec, List<StoredIteration> base, List<StoredIteration> night) {
        return BaselineJudge.judge(KEY, RISE, spec, base, night);
    }

    @Test
    void aSignificantRisePastTheLimitIsARegressionAndFromZeroToo() {
        Judgement j = judge(VerdictSpec.none(), samples("ok", 0.0, 100, 110, 105, 95, 102, 98),
                samples("ok", 0.0, 300, 320, 310));
        assertEquals(Outcome.REGRESSED, j.outcome(), j.why());
        Judgement fromZero = judge(VerdictSpec.none(), samples("ok", 0.0, 0, 0, 0, 0, 0, 0),
                samples("ok", 0.0, 11_800, 12_100, 12_088));
        assertEquals(Outcome.REGRESSED, fromZero.outcome(), fromZero.why());
    }

    @Test
    void aRiseShortOfTheLimitOrAFallIsGood() {
        assertEquals(Outcome.GOOD, judge(VerdictSpec.none(), samples("ok", 0.0, 100, 110, 105, 95),
                samples("ok", 0.0, 130, 131, 129)).outcome(), "+25% against a 50% limit");
        assertEquals(Outcome.GOOD, judge(VerdictSpec.none(), samples("ok", 0.0, 100, 110, 105, 95),
                samples("ok", 0.0, 10, 11, 9)).outcome());
    }

    @Test
    void aChangePastTheLimitThatIsNotSignificantIsUnknownAndSaysWhatTheRepeatsCanReach() {
        Judgement j = judge(VerdictSpec.none(), samples("ok", 0.0, 100, 400, 105), samples("ok", 0.0, 300, 90, 310));
        assertEquals(Outcome.UNKNOWN, j.outcome(), j.why());
        assertTrue(j.why().contains("the smallest p 3 vs 3 repeats can give is 0.1"), j.why());
    }

    @Test
    void aTraceThatLostEventsPastTheLimitIsNoResult() {
        Judgement j = judge(VerdictSpec.none(), samples("ok", 0.0, 100, 110, 105),
                samples("ok", 13.7, 300, 320, 310));
        assertEquals(Outcome.UNKNOWN, j.outcome());
        assertTrue(j.why().contains("lost more than") && j.why().contains("not results"), j.why());
        Judgement lossyBase = judge(VerdictSpec.none(), samples("ok", 2.0, 100, 110, 105),
                samples("ok", 0.0, 300, 320, 310));
        assertTrue(lossyBase.why().contains("the baseline's"), lossyBase.why());
    }

    @Test
    void aKernelThatWentDownIsARegressionUnlessThePlanSaysUnknown() {
        List<StoredIteration> night = new ArrayList<>(samples("ok", 0.0, 100, 101));
        night.addAll(samples("crashed", null, 0));
        assertEquals(Outcome.REGRESSED, judge(VerdictSpec.none(), samples("ok", 0.0, 100, 110), night).outcome());
        VerdictSpec unknown = new VerdictSpec(List.of(), List.of(), 5, 0.1, VerdictSpec.WentDown.UNKNOWN);
        assertEquals(Outcome.UNKNOWN, judge(unknown, samples("ok", 0.0, 100, 110), night).outcome());
    }

    @Test
    void fewerThanTwoSamplesASideAreNotJudged() {
        Judgement j = judge(VerdictSpec.none(), samples("ok", 0.0, 100), samples("ok", 0.0, 300, 310));
        assertEquals(Outcome.UNKNOWN, j.outcome());
        assertNull(j.compared());
    }

    @Test
    void theTrackerTellsOnlyOnAChangeOfState() {
        Regression confirmed = new Regression("id", "p", "h", "arm01", "pods=4", "m", Regression.CONFIRMED, "r1", "k1",
                null, null, "r1", null, null, null, null, null, "t", "t", null);
        assertTrue(Tracker.night(Optional.empty(), Outcome.REGRESSED).rerun());
        assertNull(Tracker.night(Optional.empty(), Outcome.GOOD).state());
        assertEquals("regression", Tracker.confirmation(Outcome.REGRESSED).tell());
        assertEquals(Regression.UNCONFIRMED, Tracker.confirmation(Outcome.UNKNOWN).state());
        assertNull(Tracker.confirmation(Outcome.GOOD).tell());
        Tracker.Step still = Tracker.night(Optional.of(confirmed), Outcome.REGRESSED);
        assertEquals(Regression.ACTIVE, still.state());
        assertNull(still.tell());
        assertEquals(Regression.CONFIRMED, Tracker.night(Optional.of(confirmed), Outcome.UNKNOWN).state(),
                "a night that cannot say changes nothing");
        Tracker.Step fixed = Tracker.night(Optional.of(confirmed), Outcome.GOOD);
        assertEquals(Regression.CLOSED, fixed.state());
        assertEquals("fixed", fixed.tell());
        assertFalse(fixed.rerun());
        Regression leftNew = confirmed.with(Regression.NEW, "r1", "t");
        assertEquals("regression", Tracker.night(Optional.of(leftNew), Outcome.REGRESSED).tell(),
                "a new one a stopped job left is confirmed by the next night");
    }
}
