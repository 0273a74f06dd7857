package dev.reclaimlab.loader;

import dev.reclaimlab.boot.BootException;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * The last rung of the reboot ladder: power-cycling a host that does not come back by itself (a BMC's Redfish reset, an
 * IPMI or PDU command, a lab vm's QEMU). Returns once the host has been reset; whether it boots is for the ladder to
 * see.
 */
public interface PowerControl {
    /** For messages: {@code QEMU of lab vm g1}, {@code Redfish at https://bmc1}. */
    String describe();

    void powerCycle(Consumer<String> progress) throws IOException, BootException;
}
