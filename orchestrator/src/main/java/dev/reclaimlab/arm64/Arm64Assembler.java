package dev.reclaimlab.arm64;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately tiny AArch64 assembler: only the forms a live-kernel patch needs (return early, zero a
 * register, branch, trap). Everything else is rejected with a message rather than guessed, because a wrong
 * word written into a running kernel is far worse than a refused plan. Encodings follow the Arm ARM and are
 * checked word-for-word against GNU as in the tests.
 *
 * <p>Supported: {@code nop}; {@code ret [xN]}; {@code mov xD|wD, #0..65535} (MOVZ); {@code movz|movk Rd, #imm16
 * [, lsl #16|32|48]}; {@code mov xD, xM} / {@code mov wD, wM} (ORR with the zero register); {@code b|bl .±N};
 * {@code cbz|cbnz Rt, .±N}; {@code brk #imm16}; {@code udf #imm16}; the hint space: {@code hint #0..127},
 * {@code yield}, {@code paciasp}, {@code pacibsp}, {@code autiasp}, {@code autibsp}, {@code bti [c|j|jc]};
 * {@code isb [sy]}. Branch targets are relative to the instruction itself, so a patch assembles the same wherever
 * it lands.
 *
 * <p>The hints are here for {@code expect}: kernels built with pointer authentication or BTI start functions with
 * {@code paciasp} or {@code bti c}, and ftrace leaves {@code nop}s there, so a plan checks a function entry in the
 * words objdump shows rather than in hex.
 */
public final class Arm64Assembler {

    /** Thrown for any text this assembler does not encode; the message says what was expected. */
    public static final class SyntaxException extends IllegalArgumentException {
        public SyntaxException(String message) {
            super(message);
        }
    }

    /** A general-purpose register; number 31 is the zero register (this assembler never encodes sp). */
    record Register(int number, boolean is64) {
        int sf() {
            return is64 ? 1 : 0;
        }
    }

    private static final String ANY_REG = "a register x0..x30/xzr or w0..w30/wzr";
    private static final String X_REG = "a register x0..x30/xzr";

    /** HINT: the encoding of nop with the hint number in CRm:op2 (bits 11..5). */
    private static final int HINT = 0xd503201f;
    /** The hints that have a name of their own and no operands, as GNU as and objdump spell them. */
    private static final Map<String, Integer> NAMED_HINTS = Map.of(
            "nop", 0,
            "yield", 1,
            "paciasp", 25,
            "pacibsp", 27,
            "autiasp", 29,
            "autibsp", 31);
    /** BTI's targets, hint #32 + 2 * (j << 1 | c). */
    private static final Map<String, Integer> BTI_TARGETS = Map.of("c", 34, "j", 36, "jc", 38);
    /** ISB with option SY (CRm = 15), the only option the architecture defines. */
    private static final int ISB_SY = 0xd5033fdf;

    private Arm64Assembler() {}

    public static Instruction assemble(String text) {
        if (text == null) {
            throw new SyntaxException("expected an instruction, got null");
        }
        String line = text;
        int comment = line.indexOf("//");
        if (comment >= 0) {
            line = line.substring(0, comment);
        }
        line = line.strip().toLowerCase(Locale.ROOT);
        if (line.isEmpty()) {
            throw new SyntaxException("expected an instruction, got \"" + text + "\"");
        }
        String[] split = line.split("\\s+", 2);
        String mnemonic = split[0];
        List<String> ops = operands(split.length > 1 ? split[1] : "");
        if (NAMED_HINTS.containsKey(mnemonic)) {
            count(mnemonic, ops, 0, 0, mnemonic);
            return new Instruction(HINT | NAMED_HINTS.get(mnemonic) << 5);
        }
        int word = switch (mnemonic) {
            case "ret" -> ret(ops);
            case "mov" -> mov(ops);
            case "movz" -> moveWide(0b10, mnemonic, ops);
            case "movk" -> moveWide(0b11, mnemonic, ops);
            case "b" -> branch(0x14000000, mnemonic, ops);
            case "bl" -> branch(0x94000000, mnemonic, ops);
            case "cbz" -> compareBranch(0, mnemonic, ops);
            case "cbnz" -> compareBranch(1, mnemonic, ops);
            case "brk" -> 0xd4200000 | imm16(mnemonic, ops) << 5;
            case "udf" -> imm16(mnemonic, ops); // permanently undefined: 0x0000iiii
            case "hint" -> hint(ops);
            case "bti" -> bti(ops);
            case "isb" -> isb(ops);
            default -> throw new SyntaxException("expected one of nop, ret, mov, movz, movk, b, bl, cbz, cbnz, brk,"
                    + " udf, hint, yield, paciasp, pacibsp, autiasp, autibsp, bti, isb; got \"" + mnemonic + "\"");
        };
        return new Instruction(word);
    }

    private static List<String> operands(String rest) {
        List<String> ops = new ArrayList<>();
        if (rest.isBlank()) {
            return ops;
        }
        for (String op : rest.split(",", -1)) {
            // Whitespace inside an operand (". + 8", "lsl  #16") carries no meaning, so normalise it away,
            // keeping one space only where a shift keyword meets its amount.
            ops.add(op.strip().replaceAll("\\s+", " "));
        }
        return ops;
    }

    private static void count(String mnemonic, List<String> ops, int min, int max, String form) {
        if (ops.size() < min || ops.size() > max) {
            throw new SyntaxException("expected \"" + form + "\", got " + ops.size() + " operand(s) for " + mnemonic);
        }
    }

    private static int hint(List<String> ops) {
        count("hint", ops, 1, 1, "hint #0..127");
        long imm = immediate(ops.get(0), "hint");
        if (imm > 127) {
            throw new SyntaxException("expected an immediate #0..#127 for hint, got \"" + ops.get(0) + "\"");
        }
        return HINT | (int) imm << 5;
    }

    private static int bti(List<String> ops) {
        count("bti", ops, 0, 1, "bti [c|j|jc]");
        if (ops.isEmpty()) {
            return HINT | 32 << 5;
        }
        Integer hint = BTI_TARGETS.get(ops.get(0));
        if (hint == null) {
            throw new SyntaxException("expected c, j or jc as the target of bti, got \"" + ops.get(0) + "\"");
        }
        return HINT | hint << 5;
    }

    private static int isb(List<String> ops) {
        count("isb", ops, 0, 1, "isb [sy]");
        // Other option numbers (isb #3) are reserved; GNU as takes them, but they are no use to a patch.
        if (!ops.isEmpty() && !ops.get(0).equals("sy")) {
            throw new SyntaxException("expected sy or nothing after isb, got \"" + ops.get(0) + "\"");
        }
        return ISB_SY;
    }

    private static int ret(List<String> ops) {
        count("ret", ops, 0, 1, "ret [xN]");
        Register rn = ops.isEmpty() ? new Register(30, true) : register(ops.get(0), true);
        return 0xd65f0000 | rn.number() << 5;
    }

    private static int mov(List<String> ops) {
        count("mov", ops, 2, 2, "mov Rd, #imm or mov Rd, Rm");
        Register rd = register(ops.get(0), false);
        String src = ops.get(1);
        // A bare number ("mov x0, 0") is an immediate missing its '#': say that, not "bad register".
        if (src.startsWith("#") || src.matches("[-+]?[0-9].*")) {
            // MOVZ with shift 0 only: larger values have several possible encodings (MOVN, ORR bitmask) and
            // the assembler's choice among them is not something a patch should depend on.
            long imm = immediate(src, "mov");
            if (imm > 0xffff) {
                throw new SyntaxException("expected an immediate #0..#65535 for mov, got \"" + src
                        + "\" (use movz/movk with lsl for larger values)");
            }
            return movWideWord(0b10, rd, (int) imm, 0);
        }
        if (src.equals("sp") || src.equals("wsp")) {
            // mov from sp is an ADD (immediate) alias, a different instruction; not needed for patches.
            throw new SyntaxException("expected " + ANY_REG + " or #imm as mov source, got \"" + src
                    + "\" (mov from sp is not supported)");
        }
        Register rm = register(src, false);
        if (rm.is64() != rd.is64()) {
            throw new SyntaxException("expected registers of the same width for mov, got \"" + ops.get(0)
                    + "\" and \"" + src + "\"");
        }
        // ORR Rd, ZR, Rm (shifted register, LSL #0): the architectural mov alias.
        return rd.sf() << 31 | 0x2a0003e0 | rm.number() << 16 | rd.number();
    }

    private static int moveWide(int opc, String mnemonic, List<String> ops) {
        count(mnemonic, ops, 2, 3, mnemonic + " Rd, #imm16[, lsl #16|32|48]");
        Register rd = register(ops.get(0), false);
        long imm = immediate(ops.get(1), mnemonic);
        if (imm > 0xffff) {
            throw new SyntaxException("expected an immediate #0..#65535 for " + mnemonic + ", got \""
                    + ops.get(1) + "\"");
        }
        int shift = 0;
        if (ops.size() == 3) {
            String s = ops.get(2);
            String allowed = rd.is64() ? "lsl #0, #16, #32 or #48" : "lsl #0 or #16 (w registers)";
            if (!s.startsWith("lsl ")) {
                throw new SyntaxException("expected " + allowed + " for " + mnemonic + ", got \"" + s + "\"");
            }
            long amount = immediate(s.substring(4).strip(), mnemonic);
            if (amount % 16 != 0 || amount > (rd.is64() ? 48 : 16)) {
                throw new SyntaxException("expected " + allowed + " for " + mnemonic + ", got \"" + s + "\"");
            }
            shift = (int) amount;
        }
        return movWideWord(opc, rd, (int) imm, shift / 16);
    }

    private static int movWideWord(int opc, Register rd, int imm16, int hw) {
        return rd.sf() << 31 | opc << 29 | 0b100101 << 23 | hw << 21 | imm16 << 5 | rd.number();
    }

    private static int branch(int base, String mnemonic, List<String> ops) {
        count(mnemonic, ops, 1, 1, mnemonic + " .+N");
        // imm26 words: ±128 MiB.
        long offset = pcOffset(ops.get(0), mnemonic, 1L << 27);
        return base | (int) ((offset >> 2) & 0x3ffffff);
    }

    private static int compareBranch(int op, String mnemonic, List<String> ops) {
        count(mnemonic, ops, 2, 2, mnemonic + " Rt, .+N");
        Register rt = register(ops.get(0), false);
        // imm19 words: ±1 MiB.
        long offset = pcOffset(ops.get(1), mnemonic, 1L << 20);
        return rt.sf() << 31 | 0x34000000 | op << 24 | (int) ((offset >> 2) & 0x7ffff) << 5 | rt.number();
    }

    private static int imm16(String mnemonic, List<String> ops) {
        count(mnemonic, ops, 1, 1, mnemonic + " #imm16");
        long imm = immediate(ops.get(0), mnemonic);
        if (imm > 0xffff) {
            throw new SyntaxException("expected an immediate #0..#65535 for " + mnemonic + ", got \"" + ops.get(0)
                    + "\"");
        }
        return (int) imm;
    }

    /** A register; {@code xOnly} for operands that must be 64-bit (ret). */
    static Register register(String op, boolean xOnly) {
        String expected = xOnly ? X_REG : ANY_REG;
        if (op.equals("xzr")) {
            return new Register(31, true);
        }
        if (op.equals("wzr") && !xOnly) {
            return new Register(31, false);
        }
        if (op.length() >= 2 && (op.charAt(0) == 'x' || (op.charAt(0) == 'w' && !xOnly))
                && op.substring(1).matches("0|[1-9][0-9]?")) {
            int n = Integer.parseInt(op.substring(1));
            if (n <= 30) {
                return new Register(n, op.charAt(0) == 'x');
            }
        }
        throw new SyntaxException("expected " + expected + ", got \"" + op + "\"");
    }

    /** A non-negative {@code #N} or {@code #0xN}; range checks are the caller's, with its own limits. */
    static long immediate(String op, String mnemonic) {
        if (!op.startsWith("#")) {
            throw new SyntaxException("expected an immediate like #0 for " + mnemonic + ", got \"" + op + "\"");
        }
        long value = number(op.substring(1).strip());
        if (value < 0) {
            throw new SyntaxException("expected a non-negative decimal or 0x immediate for " + mnemonic
                    + ", got \"" + op + "\"");
        }
        return value;
    }

    /**
     * A PC-relative target {@code .+N} / {@code .-N}: a multiple of 4 (instructions are word aligned) within
     * [-limit, limit-4].
     */
    static long pcOffset(String op, String mnemonic, long limit) {
        String t = op.replace(" ", "");
        if (t.equals(".")) {
            return 0;
        }
        if (!t.startsWith(".+") && !t.startsWith(".-")) {
            throw new SyntaxException("expected a PC-relative target like .+8 or .-4 for " + mnemonic + ", got \""
                    + op + "\"");
        }
        long magnitude = number(t.substring(2));
        if (magnitude < 0) {
            throw new SyntaxException("expected a PC-relative target like .+8 or .-4 for " + mnemonic + ", got \""
                    + op + "\"");
        }
        long offset = t.charAt(1) == '-' ? -magnitude : magnitude;
        if (offset % 4 != 0) {
            throw new SyntaxException("expected a branch offset that is a multiple of 4 for " + mnemonic + ", got \""
                    + op + "\"");
        }
        if (offset < -limit || offset > limit - 4) {
            throw new SyntaxException("expected a branch offset within " + -limit + ".." + (limit - 4) + " bytes for "
                    + mnemonic + ", got \"" + op + "\"");
        }
        return offset;
    }

    /** Decimal or 0x hex, at most 32 bits (larger is out of range for every form anyway); -1 if malformed. */
    private static long number(String s) {
        try {
            if (s.matches("0x[0-9a-f]{1,8}")) {
                return Long.parseLong(s.substring(2), 16);
            }
            // No leading zeros: GNU as reads 010 as octal, and a patch must mean the same to both.
            if (s.matches("0|[1-9][0-9]{0,9}")) {
                return Long.parseLong(s);
            }
            return -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
