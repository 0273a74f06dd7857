package dev.reclaimlab.power;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The ways to restart a host, gentlest first: {@code GracefulRestart} lets the OS flush its disks (when the OS still
 * answers ACPI), {@code ForceRestart} and {@code PowerCycle} do not need the OS, and {@code ForceOff} then {@code On}
 * is what is left on BMCs that offer no restart at all.
 */
final class RestartLadder {
    /** One way to restart: its reset types, sent in order. */
    record Rung(List<ResetType> steps) {
        Rung {
            steps = List.copyOf(steps);
        }

        String describe() {
            return steps.size() == 1 ? steps.get(0).redfishName()
                    : steps.get(0).redfishName() + " then " + steps.get(1).redfishName();
        }
    }

    private static final List<Rung> ALL = List.of(
            new Rung(List.of(ResetType.GRACEFUL_RESTART)),
            new Rung(List.of(ResetType.FORCE_RESTART)),
            new Rung(List.of(ResetType.POWER_CYCLE)),
            new Rung(List.of(ResetType.FORCE_OFF, ResetType.ON)));

    private RestartLadder() {}

    /** The rungs whose every reset type the BMC allows, in ladder order. A type it does not list is never sent. */
    static List<Rung> allowed(Set<String> allowedValues) {
        List<Rung> out = new ArrayList<>();
        for (Rung rung : ALL) {
            if (rung.steps().stream().allMatch(t -> allowedValues.contains(t.redfishName()))) {
                out.add(rung);
            }
        }
        return out;
    }
}
