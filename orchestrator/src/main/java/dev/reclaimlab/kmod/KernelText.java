package dev.reclaimlab.kmod;

import dev.reclaimlab.arm64.Instruction;
import dev.reclaimlab.elf.Elf;
import dev.reclaimlab.host.ExecResult;
import dev.reclaimlab.host.HostScripts;
import dev.reclaimlab.host.Transport;
import dev.reclaimlab.shell.Sh;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads instructions of a running kernel, before and after a patch, through {@code /proc/kcore}: the symbol's address
 * comes from {@code /proc/kallsyms}, and kcore's ELF program headers say where that address sits in the file. Only
 * {@code dd} and {@code od} run on the host (busybox has both), and nothing is written.
 */
public final class KernelText {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern SYMBOL = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");
    /** kcore's ELF header and program headers fit here: one PT_LOAD per memory range, a few dozen at most. */
    private static final int HEADER_BYTES = 64 * 1024;

    private KernelText() {}

    /**
     * Where {@code symbol+offset} is.
     *
     * @param address    the kernel virtual address
     * @param kcoreBlock the 4-byte block of {@code /proc/kcore} that holds it (its file offset / 4)
     */
    public record Place(String symbol, long offset, long address, long kcoreBlock) {
        public String where() {
            return symbol + "+0x" + Long.toHexString(offset);
        }

        /**
         * lib.sh's {@code lab_kcore_words} arguments for {@code count} words from here: steps that check the text on
         * the host read it with the same function {@link #read} uses.
         */
        public List<String> wordsArguments(int count) {
            return List.of(Long.toString(kcoreBlock), Integer.toString(count));
        }
    }

    /** Finds {@code symbol+offset} in the host's kernel. */
    public static Place locate(Transport host, String symbol, long offset) throws IOException, KmodException {
        if (!SYMBOL.matcher(symbol).matches() || offset < 0 || offset % 4 != 0) {
            throw new IllegalArgumentException("not a text location: " + symbol + "+" + offset);
        }
        ExecResult r = host.exec("awk -v s=" + Sh.quote(symbol)
                + " '$3 == s && ($2 == \"T\" || $2 == \"t\") { print $1; exit }' /proc/kallsyms", TIMEOUT);
        String hex = r.stdout().strip();
        if (!r.ok() || hex.isEmpty()) {
            throw new KmodException(host.hostName() + ": /proc/kallsyms has no text symbol " + symbol
                    + " (is the name right for this kernel? grep -w " + symbol + " /proc/kallsyms)");
        }
        long base = Long.parseUnsignedLong(hex, 16);
        if (base == 0) {
            throw new KmodException(host.hostName() + ": /proc/kallsyms shows zero addresses; lab needs them "
                    + "(run as root, or sysctl kernel.kptr_restrict=0)");
        }
        long address = base + offset;
        ExecResult headers = host.exec("dd if=/proc/kcore bs=" + HEADER_BYTES + " count=1 2>/dev/null | od -An -v -tx1",
                TIMEOUT);
        if (!headers.ok() || headers.stdout().isBlank()) {
            throw new KmodException(host.hostName() + ": cannot read /proc/kcore (a kernel without CONFIG_PROC_KCORE, "
                    + "or lockdown): lab cannot read the instructions it would patch");
        }
        long fileOffset = fileOffset(parseHexBytes(headers.stdout()), address)
                .orElseThrow(() -> new KmodException(host.hostName() + ": /proc/kcore does not map "
                        + symbol + "+0x" + Long.toHexString(offset) + " (0x" + Long.toHexString(address) + ")"));
        return new Place(symbol, offset, address, fileOffset / 4);
    }

    /** The {@code count} instructions at {@code place}, as the kernel has them now. */
    public static List<Instruction> read(Transport host, Place place, int count) throws IOException, KmodException {
        ExecResult r = host.exec(HostScripts.call("lab_kcore_words", place.wordsArguments(count)), TIMEOUT);
        List<Instruction> words = parseWords(r.stdout());
        if (!r.ok() || words.size() != count) {
            throw new KmodException(host.hostName() + ": could not read " + count + " instructions at " + place.where()
                    + " from /proc/kcore (got \"" + r.stdout().strip() + "\")");
        }
        return words;
    }

    /** {@code "d503201f d503201f"} → two instructions; anything else in the text is ignored. */
    public static List<Instruction> parseWords(String text) {
        List<Instruction> words = new ArrayList<>();
        for (String w : text.strip().split("\\s+")) {
            if (w.matches("[0-9a-f]{8}")) {
                words.add(new Instruction(Integer.parseUnsignedInt(w, 16)));
            }
        }
        return words;
    }

    static byte[] parseHexBytes(String odOutput) {
        String digits = odOutput.replaceAll("\\s+", "");
        return HexFormat.of().parseHex(digits.length() % 2 == 0 ? digits : digits.substring(0, digits.length() - 1));
    }

    /** The kcore file offset of {@code address}, from the ELF64 program headers at the start of kcore. */
    static Optional<Long> fileOffset(byte[] kcoreStart, long address) {
        try {
            return Elf.parse(kcoreStart, "/proc/kcore").segmentOffset(address);
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty(); // not an ELF header, or its program headers lie beyond what was read
        }
    }
}
