package dev.reclaimlab.nightly;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.reclaimlab.history.Regression;
import java.util.List;
import java.util.Locale;

/**
 * The JSON a webhook receives when a regression is confirmed ({@code event: regression}) or gone ({@code fixed}).
 * {@code text} is a line a person reads, so that Slack and Mattermost incoming webhooks show it as it is; the other
 * fields are for programs.
 *
 * @param kernel          the kernel of the night that changed the state
 * @param baselineKernels the kernels the baseline was pooled from
 * @param report          the night against its baseline (a URL under {@code --report-url}, else a path)
 */
public record Notice(String event, String text, String plan, @JsonProperty("plan_hash") String planHash, String host,
                     String variant, String metric, String kernel,
                     @JsonProperty("baseline_kernels") List<String> baselineKernels,
                     @JsonProperty("last_good_kernel") String lastGoodKernel,
                     @JsonProperty("change_percent") Double changePercent, Double p, String figures, String run,
                     String report, @JsonProperty("regression_id") String regressionId,
                     @JsonProperty("first_seen_run") String firstSeenRun,
                     @JsonProperty("first_seen_kernel") String firstSeenKernel,
                     @JsonProperty("first_seen_at") String firstSeenAt, String bisect) {
    public Notice {
        baselineKernels = List.copyOf(baselineKernels);
    }

    public static Notice of(String event, Regression r, String kernel, List<String> baselineKernels, String figures,
                            Double changePercent, Double p, String run, String report) {
        String text = event.equals("regression")
                ? String.format(Locale.ROOT, "Regression in %s on %s (%s): %s %s on %s against %s. Report: %s", r.planName(),
                r.host(), r.variant(), r.metric(), figures, kernel, String.join(", ", baselineKernels), report)
                : String.format(Locale.ROOT, "Fixed in %s on %s (%s): %s is back within its baseline on %s (%s), first "
                        + "seen %s on %s. Report: %s", r.planName(), r.host(), r.variant(), r.metric(), kernel, figures,
                r.openedAt(), r.firstKernel(), report);
        return new Notice(event, text, r.planName(), r.planHash(), r.host(), r.variant(), r.metric(), kernel,
                baselineKernels, r.lastGoodKernel(), finite(changePercent), finite(p), figures, run, report,
                r.id(), r.firstRun(), r.firstKernel(), r.openedAt(), r.bisect());
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }
}
