package dev.reclaimlab.history;

import java.util.Map;

/**
 * One iteration as the results database holds it, with the metrics a query asked for.
 *
 * @param lostPercent the share of events its trace lost; null without a trace
 */
public record StoredIteration(String runId, String startedAt, int seq, String host, String kernel, String cmdline,
                              String variant, int repeat, String status, Double lostPercent, String dir,
                              Map<String, Double> values) {
    public StoredIteration {
        values = Map.copyOf(values);
    }

    public boolean ok() {
        return "ok".equals(status);
    }

    /** The kernel panicked or hung under the workload: a result, not a failure of lab's. */
    public boolean wentDown() {
        return "crashed".equals(status) || "hung".equals(status);
    }
}
