package dev.reclaimlab.boot;

import java.util.List;
import java.util.Optional;

/**
 * What a host must show after lab booted it: the kernel release {@code uname -r} prints (absent: whichever the boot
 * method chose), and words that its {@code /proc/cmdline} must hold and must not.
 *
 * @param add    words that must be on the command line, as written ({@code cgroup.memory=nokmem}, {@code quiet})
 * @param remove words that must not be: {@code key=value} exactly, a bare {@code key} in any form ({@code quiet},
 *               {@code cgroup.memory=anything})
 */
public record BootExpectation(Optional<String> release, List<String> add, List<String> remove) {
    public BootExpectation {
        add = List.copyOf(add);
        remove = List.copyOf(remove);
        List<KernelCmdline.Conflict> conflicts = KernelCmdline.conflicts(add, remove);
        if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException(conflicts.get(0).word() + " is both added to and removed from the "
                    + "command line");
        }
    }
}
