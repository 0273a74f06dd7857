package dev.reclaimlab.vm;

import dev.reclaimlab.boot.BootTarget;
import java.util.List;
import java.util.Optional;

/**
 * What lab booted once on a VM ({@code lab-boot.json}), written before QEMU is stopped for it and removed when the
 * VM boots its own kernel again: while it exists, the VM runs something that is not its own.
 *
 * @param kernel  the kernel as it was asked for (a release, an ABI, a series)
 * @param abi     the Debian kernel ABI that was booted
 * @param cmdline the extra command line it was booted with (the VM's own, edited)
 */
public record LabBoot(Optional<String> kernel, List<String> add, List<String> remove, String abi, String cmdline,
                      String startedAt) {
    public LabBoot {
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }

    public BootTarget target() {
        return new BootTarget(kernel, add, remove);
    }

    /** The release the guest reports when it runs this boot. */
    public String release() {
        return KernelCatalog.releaseOf(abi);
    }
}
