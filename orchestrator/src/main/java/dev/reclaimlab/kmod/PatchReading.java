package dev.reclaimlab.kmod;

import dev.reclaimlab.arm64.Instruction;
import dev.reclaimlab.plan.PatchSpec;
import java.util.List;

/**
 * What a patch point held in the running kernel when lab looked, before anything was loaded: the report's
 * "before", and the words the text must hold again after the module is unloaded.
 */
public record PatchReading(PatchSpec patch, KernelText.Place place, List<Instruction> original) {
    public PatchReading {
        original = List.copyOf(original);
    }


    /** Whether the kernel holds what the plan expects (the module refuses to load otherwise). */
    public boolean matchesExpected() {
        return original.equals(patch.expect().stream().map(PatchSpec.PlannedInstruction::instruction).toList());
    }

    public static String words(List<Instruction> instructions) {
        return String.join(" ", instructions.stream().map(Instruction::hex).toList());
    }
}
