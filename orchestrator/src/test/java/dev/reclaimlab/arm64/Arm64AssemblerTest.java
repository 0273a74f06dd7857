package dev.reclaimlab.arm64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class Arm64AssemblerTest {

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', value = {
        // The encodings from the shrink_slab investigation: early return, and zeroing x28 / w0 mid-function.
        "mov x0, #0 = d2800000",
        "ret = d65f03c0",
        "mov x28, #0 = d280001c",
        "mov w0, #0 = 52800000",
        "nop = d503201f",
        // Case, whitespace and comments do not change the word.
        "  MOV   X0 ,#0   // return 0 = d2800000",
        "Ret\tx30 = d65f03c0",
        "b . + 8 = 14000002",
        "mov x0, #0x0 = d2800000",
    })
    void seeds(String text, String hex) {
        assertEquals(hex, Arm64Assembler.assemble(text).hex());
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', value = {
        // Function entries as objdump shows them on kernels with pointer authentication, BTI or ftrace.
        "paciasp = d503233f",
        "autiasp = d50323bf",
        "pacibsp = d503237f",
        "autibsp = d50323ff",
        "bti = d503241f",
        "bti c = d503245f",
        "BTI  J = d503249f",
        "bti jc = d50324df",
        "yield = d503203f",
        "isb = d5033fdf",
        "isb sy = d5033fdf",
        // hint #N is the same word as the named hint, and hint #0 is nop.
        "hint #0 = d503201f",
        "hint #25 = d503233f",
        "hint #0x22 = d503245f",
        "hint #127 = d5032fff",
    })
    void hints(String text, String hex) {
        assertEquals(hex, Arm64Assembler.assemble(text).hex());
    }

    @Test
    void instructionBytesAreLittleEndian() {
        Instruction ret = Arm64Assembler.assemble("ret");
        assertEquals(0xd65f03c0, ret.word());
        assertArrayEquals(new byte[] {(byte) 0xc0, 0x03, 0x5f, (byte) 0xd6}, ret.bytesLE());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '=', value = {
        "0xd2800000 = d2800000",
        "d2800000 = d2800000",
        "  0XD65F03C0  = d65f03c0",
        "mov w0, #0 = 52800000",
        "00000000 = 00000000",
    })
    void parseAcceptsHexOrAssembly(String text, String hex) {
        assertEquals(hex, Instruction.parse(text).hex());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // registers
        "mov x31, #0 | expected a register x0..x30/xzr or w0..w30/wzr, got \"x31\"",
        "mov sp, #0 | expected a register x0..x30/xzr or w0..w30/wzr, got \"sp\"",
        "mov x01, #0 | expected a register x0..x30/xzr or w0..w30/wzr, got \"x01\"",
        "mov x0, sp | mov from sp is not supported",
        "mov x0, w1 | expected registers of the same width for mov",
        "ret w0 | expected a register x0..x30/xzr, got \"w0\"",
        "cbz q0, .+4 | expected a register x0..x30/xzr or w0..w30/wzr, got \"q0\"",
        // immediates
        "mov x0, #65536 | expected an immediate #0..#65535 for mov",
        "mov x0, #-1 | expected a non-negative decimal or 0x immediate for mov",
        "mov x0, 0 | expected an immediate like #0 for mov",
        "mov x0, #010 | expected a non-negative decimal or 0x immediate",
        "movz x0, #0x10000 | expected an immediate #0..#65535 for movz",
        "movz w0, #1, lsl #32 | expected lsl #0 or #16 (w registers) for movz",
        "movk x0, #1, lsl #8 | expected lsl #0, #16, #32 or #48 for movk",
        "movk x0, #1, lsl #64 | expected lsl #0, #16, #32 or #48 for movk",
        "movk x0, #1, asr #16 | expected lsl #0, #16, #32 or #48 for movk",
        "brk #65536 | expected an immediate #0..#65535 for brk",
        "udf #0x1ffff | expected an immediate #0..#65535 for udf",
        // branches
        "b .+2 | expected a branch offset that is a multiple of 4 for b",
        "b .+134217728 | expected a branch offset within -134217728..134217724 bytes for b",
        "bl .-134217732 | expected a branch offset within -134217728..134217724 bytes for bl",
        "cbz x0, .+1048576 | expected a branch offset within -1048576..1048572 bytes for cbz",
        "cbnz w0, .-1048580 | expected a branch offset within -1048576..1048572 bytes for cbnz",
        "b shrink_slab | expected a PC-relative target like .+8 or .-4 for b",
        "b .+ | expected a PC-relative target like .+8 or .-4 for b",
        // hints
        "hint #128 | expected an immediate #0..#127 for hint, got \"#128\"",
        "hint 25 | expected an immediate like #0 for hint, got \"25\"",
        "hint | expected \"hint #0..127\", got 0 operand(s) for hint",
        "hint #1, #2 | expected \"hint #0..127\", got 2 operand(s) for hint",
        "bti x | expected c, j or jc as the target of bti, got \"x\"",
        "bti cj | expected c, j or jc as the target of bti, got \"cj\"",
        "bti c, j | got 2 operand(s) for bti", // the form, bti [c|j|jc], holds this table's delimiter
        "paciasp x30 | expected \"paciasp\", got 1 operand(s) for paciasp",
        "yield x0 | expected \"yield\", got 1 operand(s) for yield",
        "isb #15 | expected sy or nothing after isb, got \"#15\"",
        "isb ish | expected sy or nothing after isb, got \"ish\"",
        "pacia x0, sp | expected one of nop, ret",
        "wfi | expected one of nop, ret",
        // shape
        "add x0, x0, #1 | expected one of nop, ret, mov, movz, movk, b, bl, cbz, cbnz, brk, udf, hint, yield, "
                + "paciasp, pacibsp, autiasp, autibsp, bti, isb; got \"add\"",
        "nop x0 | expected \"nop\", got 1 operand(s) for nop",
        "mov x0 | expected \"mov Rd, #imm or mov Rd, Rm\", got 1 operand(s) for mov",
        "ret x0, x1 | expected \"ret [xN]\", got 2 operand(s) for ret",
        "// just a comment | expected an instruction",
    })
    void rejectsWithUsefulMessage(String text, String message) {
        var e = assertThrows(Arm64Assembler.SyntaxException.class, () -> Arm64Assembler.assemble(text));
        assertContains(message, e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
        "0xd28000 | expected exactly 8 hex digits (e.g. 0xd2800000 or d2800000), got \"0xd28000\"",
        "d2800000ff | expected exactly 8 hex digits",
        "0xd280000g | expected exactly 8 hex digits",
        "0x | expected exactly 8 hex digits",
        "' ' | expected an instruction",
        "frobnicate | expected one of nop, ret",
    })
    void parseRejectsBadHex(String text, String message) {
        var e = assertThrows(Arm64Assembler.SyntaxException.class, () -> Instruction.parse(text));
        assertContains(message, e.getMessage());
    }

    private static void assertContains(String expected, String actual) {
        if (!actual.contains(expected)) {
            throw new AssertionError("expected message containing <" + expected + "> but was <" + actual + ">");
        }
    }
}
