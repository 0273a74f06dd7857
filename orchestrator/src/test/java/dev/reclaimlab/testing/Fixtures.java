package dev.reclaimlab.testing;

import java.nio.file.Path;

/** Checked-in test data that stands for what lab writes (each folder has a README saying where it comes from). */
public final class Fixtures {
    private Fixtures() {}

    /**
     * A real {@code lab run} of playbooks/swappiness.yaml, 5 repeats per variant, made small, with ANON events of
     * 11, 11, 457, 502, 516 at swappiness 100 against five zeros at 0.
     */
    public static Path swappinessRun() {
        return Path.of("src/test/resources/runs/swappiness-5x2").toAbsolutePath();
    }
}
