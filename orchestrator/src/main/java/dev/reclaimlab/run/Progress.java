package dev.reclaimlab.run;

import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.step.Step;

/** What a run reports while it goes, for the terminal. Calls may come from several host threads at once. */
public interface Progress {
    void info(String host, String message);

    void stepStarted(String host, String iteration, Step step);

    /** A line of output from a long step, as it arrives. */
    void output(String host, String line);

    void stepFinished(String host, String iteration, Step step, ExecResult result);

    /** The step's command gave no result: the connection to the host broke under it. */
    void stepLost(String host, String iteration, Step step, String why);

    Progress SILENT = new Progress() {
        @Override public void info(String host, String message) { }
        @Override public void stepStarted(String host, String iteration, Step step) { }
        @Override public void output(String host, String line) { }
        @Override public void stepFinished(String host, String iteration, Step step, ExecResult result) { }
        @Override public void stepLost(String host, String iteration, Step step, String why) { }
    };
}
