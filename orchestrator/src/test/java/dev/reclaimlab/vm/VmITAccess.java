package dev.reclaimlab.vm;

import dev.reclaimlab.host.HostSpec;
import dev.reclaimlab.host.Inventory;

/** What test classes of other packages need of VmIT's set-up: the same VMs, LAB_HOME and in-JVM lab. */
public final class VmITAccess {
    private VmITAccess() {}

    /** How lab answered, as {@link VmIT#cli} captures it. */
    public record Cli(int exit, String out, String err) {
        public String all() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static void prerequisites() throws Exception {
        VmIT.prerequisites();
    }

    public static Cli cli(String... args) {
        VmIT.Cli c = VmIT.cli(args);
        return new Cli(c.exit(), c.out(), c.err());
    }

    public static void deleteIfRegistered(String vm) throws Exception {
        VmIT.deleteIfRegistered(vm);
    }

    /** What lab left in the guest (guest-residue.sh); empty when clean. */
    public static java.util.List<String> guestResidue(String vm) throws Exception {
        return VmIT.guestResidue(vm);
    }

    public static Inventory inventory() throws Exception {
        return VmIT.registry.inventory();
    }

    public static HostSpec host(String name) throws Exception {
        return inventory().host(name).orElseThrow();
    }
}
