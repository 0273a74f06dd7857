package dev.reclaimlab.run;

import dev.reclaimlab.artifacts.RunDirectory;
import dev.reclaimlab.artifacts.RunStatus;
import java.nio.file.Path;

/** How a run ended, and where its run directory is. */
public record RunResult(RunDirectory dir, RunStatus status) {
    public Path manifest() {
        return dir.resolve(dev.reclaimlab.artifacts.RunLayout.MANIFEST);
    }
}
