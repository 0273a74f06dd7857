package dev.reclaimlab.power;

import dev.reclaimlab.units.Durations;
import java.io.IOException;
import java.util.Set;

/**
 * Follows a Redfish task (an action answered 202) to its end. The task monitor answers 202 while the task runs and,
 * on many BMCs, the action's own result (200/204, no {@code TaskState}) once it is done; a task resource answers
 * 200 with its {@code TaskState} throughout. Both are handled.
 */
final class TaskMonitor {
    private static final Set<String> FAILED = Set.of("Exception", "Killed", "Cancelled");

    private TaskMonitor() {}

    /** @throws IOException naming the task and its Messages when it fails, or its last state when it times out */
    static void await(RedfishHttp http, String taskPath, String what) throws IOException {
        Deadline deadline = new Deadline(http.timing().task(), http.timing().pollInterval());
        String state = "unknown";
        while (true) {
            RedfishResponse r = http.get(taskPath);
            if (r.status() != 202 && !r.ok()) {
                throw new IOException(http.fail(what + ": reading its task " + taskPath + " failed: " + r.reason()));
            }
            String taskState = r.body().path("TaskState").textValue();
            if (taskState == null && r.status() != 202) {
                return; // the monitor answered with the action's own result: done
            }
            if (taskState != null) {
                state = taskState;
                if (state.equals("Completed")) {
                    return;
                }
                if (FAILED.contains(state)) {
                    String messages = RedfishMessages.join(r.body().path("Messages"));
                    throw new IOException(http.fail(what + ": its task " + taskPath + " ended " + state
                            + (messages.isEmpty() ? "" : ": " + messages)));
                }
            }
            if (deadline.passed()) {
                throw new IOException(http.fail(what + ": its task " + taskPath + " was still " + state + " after "
                        + Durations.format(http.timing().task())));
            }
            deadline.pause();
        }
    }
}
