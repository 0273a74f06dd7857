package dev.reclaimlab.plan;

import dev.reclaimlab.arm64.Instruction;
import dev.reclaimlab.yaml.Location;
import java.util.List;

/**
 * {@code kmod.patch}: the instruction-patching module (ARM64 only). At load it checks that the words at
 * {@code symbol+offset} equal {@code expect}, writes {@code replace} through the kernel's own text-patching routine
 * and restores the original words when unloaded. {@code expect} and {@code replace} have the same length.
 *
 * @param point   the patch point's name when the plan lists several under {@code points:} (e.g. {@code A}),
 *                else {@code patch}
 * @param symbol  a kernel text symbol, as {@code /proc/kallsyms} names it
 * @param offset  bytes from the symbol, a multiple of 4
 * @param expect  the instructions that must be there now, as written in the plan (assembly or hex) and encoded
 * @param replace what is written instead
 */
public record PatchSpec(
        String point,
        String symbol,
        long offset,
        List<PlannedInstruction> expect,
        List<PlannedInstruction> replace,
        Location at) {
    public PatchSpec {
        expect = List.copyOf(expect);
        replace = List.copyOf(replace);
    }


    /** An instruction as the plan wrote it ({@code "mov x0, #0"} or {@code "0xd2800000"}) and its encoding. */
    public record PlannedInstruction(String source, Instruction instruction) {}

    /** {@code shrink_slab+0x0}, the way kernels print text addresses. */
    public String where() {
        return symbol + "+0x" + Long.toHexString(offset);
    }
}
