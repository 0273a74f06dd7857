package dev.reclaimlab.run;

import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.step.Step;

/** A step that did not succeed; the run stops, tears down and reports it. */
public final class StepFailedException extends Exception {
    private final transient Step step;
    private final transient ExecResult result;

    public StepFailedException(String host, Step step, ExecResult result) {
        super("step " + step.id() + " (" + step.description() + ") failed on host " + host + ": " + result.outcome()
                + lastLine(result));
        this.step = step;
        this.result = result;
    }

    public Step step() {
        return step;
    }

    public ExecResult result() {
        return result;
    }

    private static String lastLine(ExecResult result) {
        String err = result.stderr().strip();
        if (err.isEmpty()) {
            return "";
        }
        String[] lines = err.split("\n");
        return ": " + lines[lines.length - 1];
    }
}
