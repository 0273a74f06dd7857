package dev.reclaimlab.run;

import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import java.util.Optional;

/** How each host is booted into a plan's kernel, for plans with a boot section; the command line supplies it. */
@FunctionalInterface
public interface BootMethods {
    /** No host can be booted: plans with a boot section are unmet everywhere. */
    BootMethods NONE = host -> Optional.empty();

    /** The host's boot method; empty when lab cannot boot it (the reason is {@link #whyNot}). */
    Optional<BootMethod> of(HostSpec host);

    /** Why {@code host} has no boot method, in one sentence. */
    default String whyNot(HostSpec host) {
        if (host.kind().restart() == HostKind.Restart.NEVER) {
            return host.name() + " cannot be booted into another kernel: the orchestrator runs there. Run plans "
                    + "with a boot section on lab vm hosts";
        }
        return "no boot method for " + host.name() + ": give it a boot: section in the inventory (method: grub, "
                + "timeout, power_cycle, console), which tells lab how to boot it and bring it back";
    }
}
