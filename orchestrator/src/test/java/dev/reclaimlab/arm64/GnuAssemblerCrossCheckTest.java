package dev.reclaimlab.arm64;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Encodes a few hundred generated instructions with {@link Arm64Assembler} and with the real GNU assembler,
 * comparing word by word. Never skips: a missing assembler is a failure naming the package to install, since
 * a patch encoder nobody has checked against a reference must not look green.
 */
class GnuAssemblerCrossCheckTest {

    static final String AS = "aarch64-linux-gnu-as";
    static final String OBJCOPY = "aarch64-linux-gnu-objcopy";
    static final String INSTALL = "apt-get install -y binutils-aarch64-linux-gnu";

    static final long[] IMM16 = {0, 1, 2, 0x7f, 0x80, 0xff, 0x100, 0x1234, 0x7fff, 0x8000, 0xfffe, 0xffff};

    @TempDir
    Path dir;

    @Test
    void everyFormMatchesGnuAs() throws Exception {
        List<String> cases = cases();
        assertTrue(cases.size() > 300, "expected a few hundred cases, got " + cases.size());

        Path source = dir.resolve("cases.s");
        StringBuilder s = new StringBuilder(".text\n");
        for (String c : cases) {
            s.append(c).append('\n');
        }
        Files.writeString(source, s, StandardCharsets.US_ASCII);
        Path object = dir.resolve("cases.o");
        Path binary = dir.resolve("cases.bin");
        run(AS, "-o", object.toString(), source.toString());
        run(OBJCOPY, "-O", "binary", "-j", ".text", object.toString(), binary.toString());

        ByteBuffer words = ByteBuffer.wrap(Files.readAllBytes(binary)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(cases.size() * 4, words.remaining(), "GNU as output size");
        List<String> mismatches = new ArrayList<>();
        for (String c : cases) {
            String expected = String.format("%08x", words.getInt());
            String actual = Arm64Assembler.assemble(c).hex();
            if (!expected.equals(actual)) {
                mismatches.add(c + ": gnu as " + expected + ", java " + actual);
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** Every form, every register, the immediate edges and branch offsets at both limits. */
    static List<String> cases() {
        List<String> c = new ArrayList<>();
        Random random = new Random(42);
        List<String> x = regs("x");
        List<String> w = regs("w");

        c.add("nop");
        c.add("ret");
        for (String r : x) {
            c.add("ret " + r);
        }
        // mov #imm: every register, cycling through the immediate edges, then every edge on both widths.
        for (int i = 0; i < x.size(); i++) {
            c.add("mov " + x.get(i) + ", #" + IMM16[i % IMM16.length]);
            c.add("mov " + w.get(i) + ", #" + IMM16[(i + 5) % IMM16.length]);
        }
        for (long imm : IMM16) {
            c.add("mov x0, #" + imm);
            c.add("mov w28, #0x" + Long.toHexString(imm));
        }
        // movz/movk: every legal shift on both widths, with and without an explicit lsl.
        for (String op : List.of("movz", "movk")) {
            for (long imm : IMM16) {
                c.add(op + " x1, #" + imm);
                c.add(op + " w2, #" + imm);
            }
            for (int shift : new int[] {0, 16, 32, 48}) {
                c.add(op + " x" + random.nextInt(31) + ", #" + IMM16[random.nextInt(IMM16.length)] + ", lsl #" + shift);
                c.add(op + " xzr, #0xffff, lsl #" + shift);
            }
            for (int shift : new int[] {0, 16}) {
                c.add(op + " w" + random.nextInt(31) + ", #" + IMM16[random.nextInt(IMM16.length)] + ", lsl #" + shift);
                c.add(op + " wzr, #0xffff, lsl #" + shift);
            }
            for (int i = 0; i < x.size(); i++) {
                c.add(op + " " + x.get(i) + ", #" + random.nextInt(0x10000) + ", lsl #" + 16 * random.nextInt(4));
                c.add(op + " " + w.get(i) + ", #" + random.nextInt(0x10000) + ", lsl #" + 16 * random.nextInt(2));
            }
        }
        // mov register: every destination and every source, both widths.
        for (int i = 0; i < x.size(); i++) {
            c.add("mov " + x.get(i) + ", " + x.get((i * 7 + 3) % x.size()));
            c.add("mov " + x.get((i * 5 + 1) % x.size()) + ", " + x.get(i));
            c.add("mov " + w.get(i) + ", " + w.get((i * 11 + 2) % w.size()));
            c.add("mov " + w.get((i * 3 + 4) % w.size()) + ", " + w.get(i));
        }
        // Branches: zero, neighbours, the investigation's offsets, the exact limits and random aligned offsets.
        long b = 1L << 27;
        long cb = 1L << 20;
        for (String op : List.of("b", "bl")) {
            for (long off : offsets(b, random)) {
                c.add(op + " " + target(off));
            }
        }
        for (String op : List.of("cbz", "cbnz")) {
            for (long off : offsets(cb, random)) {
                c.add(op + " x" + random.nextInt(31) + ", " + target(off));
                c.add(op + " w" + random.nextInt(31) + ", " + target(off));
            }
            for (int i = 0; i < x.size(); i++) {
                c.add(op + " " + x.get(i) + ", " + target(4L * (random.nextInt(1 << 19) - (1 << 18))));
                c.add(op + " " + w.get(i) + ", " + target(4L * (random.nextInt(1 << 19) - (1 << 18))));
            }
        }
        for (long imm : IMM16) {
            c.add("brk #" + imm);
            c.add("udf #" + imm);
        }
        c.add("brk #0x800");
        // The hint space, every number, and the named hints and bti targets a kernel function can start with.
        for (int i = 0; i <= 127; i++) {
            c.add("hint #" + i);
        }
        c.addAll(List.of("yield", "paciasp", "pacibsp", "autiasp", "autibsp", "bti", "bti c", "bti j", "bti jc",
                "isb", "isb sy"));
        return c;
    }

    static List<String> regs(String prefix) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i <= 30; i++) {
            r.add(prefix + i);
        }
        r.add(prefix + "zr");
        return r;
    }

    static List<Long> offsets(long limit, Random random) {
        List<Long> o = new ArrayList<>(List.of(0L, 4L, -4L, 8L, -8L, 296L, 336L, limit - 4, -limit, limit - 8,
                -limit + 4, limit / 2, -limit / 2));
        for (int i = 0; i < 8; i++) {
            o.add(4 * (random.nextLong(limit / 2) - limit / 4));
        }
        return o;
    }

    static String target(long offset) {
        return offset < 0 ? ".-" + -offset : ".+" + offset;
    }

    private void run(String... command) throws IOException, InterruptedException {
        if (!onPath(command[0])) {
            fail(command[0] + " is not installed; as root: " + INSTALL);
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
    }

    private static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
