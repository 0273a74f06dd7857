package dev.reclaimlab.analysis;

/** How many pages reclaims freed: exact counts for 0..31 pages, one for 32 or more (the seed 000 §6 view). */
final class NrReclaimedTally {
    final long[] counts = new long[32];
    long count;
    long sum;
    long ge32;

    void record(long nrReclaimed) {
        count++;
        sum = Saturating.add(sum, nrReclaimed);
        if (nrReclaimed >= 0 && nrReclaimed < 32) {
            counts[(int) nrReclaimed]++;
        } else {
            ge32++;
        }
    }

    void absorb(NrReclaimedTally other) {
        count += other.count;
        sum = Saturating.add(sum, other.sum);
        ge32 += other.ge32;
        for (int i = 0; i < 32; i++) {
            counts[i] += other.counts[i];
        }
    }

    long lt32() {
        return count - ge32;
    }

    TraceMetrics.NrReclaimed metrics() {
        return new TraceMetrics.NrReclaimed(count, sum, count == 0 ? null : round(sum / (double) count, 3), lt32(),
                ge32, counts.clone());
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
