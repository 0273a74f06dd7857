package dev.reclaimlab.program;

import dev.reclaimlab.plan.Sysctl;
import dev.reclaimlab.step.Step;

import static dev.reclaimlab.shell.Sh.quote;

/** A sysctl set for the experiment; the old value is saved in the journal first and written back by the undo. */
final class SysctlSteps {
    private SysctlSteps() {}

    static Step build(Sysctl sysctl) {
        String file = quote(sysctl.procPath());
        String saved = quote("sysctl-" + sysctl.key());
        return Step.undoable("sysctl:" + sysctl.key(), "set " + sysctl.key() + " = " + sysctl.value(),
                "lab_save " + file + " " + saved + " && lab_write " + file + " " + quote(sysctl.value()),
                "lab_restore " + saved + " " + file);
    }
}
