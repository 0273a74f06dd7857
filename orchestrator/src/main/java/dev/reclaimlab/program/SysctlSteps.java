package dev.reclaimlab.program;

import dev.reclaimlab.plan.Sysctl;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.Step;


/** A sysctl set for the experiment; the old value is saved in the journal first and written back by the undo. */
final class SysctlSteps {
    private SysctlSteps() {}

    static Step build(Sysctl sysctl) {
        String saved = "sysctl-" + sysctl.key();
        return Step.undoable("sysctl:" + sysctl.key(), "set " + sysctl.key() + " = " + sysctl.value(),
                Sh.command("lab_sysctl", sysctl.procPath(), saved, sysctl.value()),
                Sh.command("lab_restore", saved, sysctl.procPath()));
    }
}
