package dev.reclaimlab.power;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A system's {@code #ComputerSystem.Reset} action: where to POST, and which reset types the BMC accepts.
 *
 * @param target        the action's {@code target} path
 * @param allowedValues the ResetType values the BMC accepts
 * @param source        where {@code allowedValues} came from, for messages: the action itself, its ActionInfo, or
 *                      assumed
 */
record ResetAction(String target, Set<String> allowedValues, String source) {
    /**
     * What to assume when the BMC says nothing: the values Redfish's schema defines that nearly every BMC implements.
     * A wrong guess costs one HTTP 400 and the next rung.
     */
    static final Set<String> COMMON = Collections.unmodifiableSet(new LinkedHashSet<>(List.of("On", "ForceOff",
            "GracefulShutdown", "GracefulRestart", "ForceRestart", "PowerCycle")));

    ResetAction {
        // in the BMC's order, for messages
        allowedValues = Collections.unmodifiableSet(new LinkedHashSet<>(allowedValues));
    }
}
