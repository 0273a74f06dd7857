package dev.reclaimlab.bisect;

import java.util.List;

/**
 * One run of the plan on one candidate: a batch of repeats, in its own run directory.
 *
 * @param purpose  why it was made: {@code endpoint}, {@code bisect}, {@code more} (the verdict was unknown) or
 *                 {@code confirm}
 * @param runDir   the run directory, relative to the bisect's folder; null when the run never started
 * @param boots    the boot ids the host reported after lab booted it into the candidate
 * @param untestable why nothing could be measured (the kernel would not install or boot, came up wrong); null when
 *                   the candidate ran
 */
public record Measurement(int candidate, String purpose, String runDir, String startedAt, List<String> boots,
                          List<Repeat> repeats, String untestable) {
    public static final String ENDPOINT = "endpoint";
    public static final String BISECT = "bisect";
    public static final String MORE = "more";
    public static final String CONFIRM = "confirm";

    public Measurement {
        boots = boots == null ? List.of() : List.copyOf(boots);
        repeats = repeats == null ? List.of() : List.copyOf(repeats);
    }
}
