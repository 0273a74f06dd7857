package dev.reclaimlab.cli;

import dev.reclaimlab.boot.BootMethod;
import dev.reclaimlab.host.HostKind;
import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.run.BootMethods;
import dev.reclaimlab.vm.VmBootMethod;
import dev.reclaimlab.vm.VmRegistry;
import dev.reclaimlab.vm.Vms;
import java.util.Optional;

/** The boot method of each host kind lab can boot today: lab vm hosts restart their QEMU. */
final class HostBootMethods implements BootMethods {
    @Override
    public Optional<BootMethod> of(HostSpec host) {
        if (host.kind() instanceof HostKind.Vm) {
            return Optional.of(new VmBootMethod(new Vms(VmRegistry.fromEnvironment(), line -> { }), host.name(),
                    Vms.DEFAULT_BOOT_TIMEOUT));
        }
        return Optional.empty();
    }
}
