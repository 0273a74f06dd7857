package dev.reclaimlab.program;

import dev.reclaimlab.plan.SwapSpec;
import dev.reclaimlab.step.HostLayout;
import dev.reclaimlab.step.Step;
import java.util.ArrayList;
import java.util.List;

import static dev.reclaimlab.shell.Sh.quote;

/** A swap file for the experiment: born 0600 (umask), filled with zeros so it has no holes, mkswap, swapon. */
final class SwapSteps {
    private SwapSteps() {}

    static String defaultPath(HostLayout layout) {
        return layout.workdir() + "/swapfile";
    }

    static Step build(SwapSpec swap, HostLayout layout) {
        String path = swap.path().orElse(defaultPath(layout));
        long bytes = swap.size().bytes();
        String ddSize = bytes % (1024 * 1024) == 0 ? "bs=1M count=" + bytes / (1024 * 1024)
                : "bs=1K count=" + (bytes + 1023) / 1024;
        List<String> swapon = new ArrayList<>(List.of("swapon"));
        swap.priority().ifPresent(p -> swapon.add("-p " + p));
        swapon.add(quote(path));
        String command = "[ ! -e " + quote(path) + " ] || lab_die " + quote("refusing to overwrite " + path)
                + "; (umask 077 && dd if=/dev/zero of=" + quote(path) + " " + ddSize + " 2>/dev/null)"
                + " && mkswap " + quote(path) + " > /dev/null && " + String.join(" ", swapon);
        return Step.undoable("swap", "make and enable a " + swap.size() + " swap file " + path, command,
                "lab_swapoff_rm " + quote(path)).withTimeout(java.time.Duration.ofMinutes(10));
    }
}
