package dev.reclaimlab.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How lab boots a host reached over SSH into another kernel: the inventory's {@code boot:} section.
 *
 * @param method     the boot method: {@code grub} (one-time boot of a lab-made menu entry), {@code efi} (a lab-made
 *                   UEFI boot entry as BootNext), {@code kexec} (opt in), or {@code command} (the lab's own select and
 *                   reboot commands)
 * @param timeout    how long the host may take after a reboot until SSH answers with a new boot id, before lab
 *                   power-cycles it (and after a power cycle, before it is lost)
 * @param stateDir   the host's folder for lab's journal of boot-loader changes: on storage a reboot keeps
 * @param powerCycle a command lab runs on the orchestrator to power-cycle the host (ipmitool, a PDU's CLI), as argv
 * @param redfish    the host's BMC, to power-cycle it over Redfish instead
 * @param console    a file on the orchestrator that the host's serial console is logged to (conserver, ipmitool
 *                   sol into a file), where lab reads panics and keeps each boot's console
 * @param consoleCommand a command that prints the host's serial console as it comes ({@code ipmitool ... sol
 *                   activate}), as argv: lab runs it while it boots the host; empty when there is none
 * @param select     for the command method: the command that selects the host's next boot, as argv
 * @param reboot     for the command method: the command that reboots the host, as argv; empty: reboot over SSH
 */
public record HostBootSettings(String method, Duration timeout, String stateDir, List<String> powerCycle,
                               Optional<RedfishSettings> redfish, Optional<Path> console,
                               List<String> consoleCommand, List<String> select, List<String> reboot) {
    public static final List<String> METHODS = List.of("grub", "kexec", "efi", "command");
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final String DEFAULT_STATE_DIR = "/var/lib/reclaim-lab/boot";

    public HostBootSettings {
        powerCycle = List.copyOf(powerCycle);
        consoleCommand = List.copyOf(consoleCommand);
        select = List.copyOf(select);
        reboot = List.copyOf(reboot);
    }
}
