package dev.reclaimlab.arm64;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One AArch64 instruction word. {@link #word()} is the value as objdump prints it ({@code d2800000} for
 * {@code mov x0, #0}); in memory the word is stored little-endian ({@link #bytesLE()}), which is what a patch
 * writes at {@code symbol+offset}.
 */
public record Instruction(int word) {

    // Hex is the word as objdump prints it, not the byte order in memory: "d2800000", never "000080d2".
    private static final Pattern HEX = Pattern.compile("(?:0x)?([0-9a-f]{8})");
    // Anything that looks like it was meant to be hex (a 0x prefix, or only hex digits with at least one
    // decimal digit, so the mnemonics "add" or "bfc" are not mistaken for hex) gets the hex error message.
    private static final Pattern HEXISH = Pattern.compile("0x.*|(?=.*[0-9])[0-9a-f]+");

    /** The word as 8 lowercase hex digits, e.g. {@code "d2800000"}. */
    public String hex() {
        return String.format("%08x", word);
    }

    /** The 4 bytes as they sit in memory (AArch64 instructions are always little-endian). */
    public byte[] bytesLE() {
        return new byte[] {(byte) word, (byte) (word >>> 8), (byte) (word >>> 16), (byte) (word >>> 24)};
    }

    /**
     * A plan's replacement instruction: either hex ({@code 0xd2800000} or {@code d2800000}, exactly 8 digits)
     * or assembly accepted by {@link Arm64Assembler#assemble(String)}.
     *
     * @throws Arm64Assembler.SyntaxException saying what was expected
     */
    public static Instruction parse(String text) {
        if (text == null) {
            throw new Arm64Assembler.SyntaxException("expected an instruction or 8 hex digits, got null");
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        var hex = HEX.matcher(t);
        if (hex.matches()) {
            return new Instruction(Integer.parseUnsignedInt(hex.group(1), 16));
        }
        if (HEXISH.matcher(t).matches()) {
            throw new Arm64Assembler.SyntaxException(
                    "expected exactly 8 hex digits (e.g. 0xd2800000 or d2800000), got \"" + text.strip() + "\"");
        }
        return Arm64Assembler.assemble(text);
    }

    @Override
    public String toString() {
        return "Instruction[" + hex() + "]";
    }
}
