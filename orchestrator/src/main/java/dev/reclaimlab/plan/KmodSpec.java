package dev.reclaimlab.plan;

import java.util.Optional;

/**
 * The plan's {@code kmod:} section: kernel modules lab renders from {@code kmod-templates/}, builds for the host's
 * kernel, loads for each iteration and unloads at teardown. Either part may be absent; both may be present (a
 * storm driven by the stress module while a code path is cut by a patch).
 */
public record KmodSpec(Optional<StressSpec> stress, Optional<PatchSpec> patch) {
    public boolean isEmpty() {
        return stress.isEmpty() && patch.isEmpty();
    }
}
