package dev.reclaimlab.program;

import dev.reclaimlab.plan.SwapSpec;
import dev.reclaimlab.shell.Sh;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import java.util.ArrayList;
import java.util.List;


/** A swap file for the experiment (lab_mkswap: born 0600, filled with zeros so it has no holes, mkswap, swapon). */
final class SwapSteps {
    private SwapSteps() {}

    static String defaultPath(HostLayout layout) {
        return layout.workdir() + "/swapfile";
    }

    static Step build(SwapSpec swap, HostLayout layout) {
        String path = swap.path().orElse(defaultPath(layout));
        long kib = (swap.size().bytes() + 1023) / 1024;
        List<String> command = new ArrayList<>(List.of("lab_mkswap", path, Long.toString(kib)));
        swap.priority().ifPresent(p -> command.add(Integer.toString(p)));
        return Step.undoable("swap", "make and enable a " + swap.size() + " swap file " + path, Sh.command(command),
                Sh.command("lab_swapoff_rm", path)).withTimeout(java.time.Duration.ofMinutes(10));
    }
}
