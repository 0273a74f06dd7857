/**
 * Power control of a test host through its BMC's Redfish API (DMTF Redfish, {@code ComputerSystem.Reset}).
 *
 * <p>This is the last rung of the reboot ladder: a host is first rebooted over SSH; when that fails (the kernel
 * hung, the network is gone, a reclaim storm never ends) the BMC resets it; when the BMC cannot either, the host is
 * reported lost. So this package must work against BMCs that each implement a different slice of Redfish, must say
 * in one line why it could not, and must never do something the user did not ask for: a refused credential stops
 * everything, and a reset type the BMC does not list is never sent.
 *
 * <p>{@link dev.reclaimlab.power.RedfishPower} is the entry point; {@link dev.reclaimlab.power.RedfishTarget} says
 * which BMC and how to talk to it. The package is a leaf: it knows nothing of plans, hosts or runs.
 */
package dev.reclaimlab.power;
