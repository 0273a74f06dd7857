package dev.reclaimlab.plan;

import dev.reclaimlab.arm64.Arm64Assembler;
import dev.reclaimlab.arm64.Instruction;
import dev.reclaimlab.boot.BootTarget;
import dev.reclaimlab.units.Durations;
import dev.reclaimlab.units.Size;
import dev.reclaimlab.yaml.Invalid;
import dev.reclaimlab.yaml.ScalarNode;
import dev.reclaimlab.yaml.Value;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How plan values are read: the patterns and {@link Value}s of {@link PlanBinder} and {@link KmodBinder}, kept in
 * step with {@code schema/plan.schema.json} (a test checks that both reject the same bad plans).
 */
final class PlanValues {
    private PlanValues() {}

    static final Pattern PLAN_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");
    static final Pattern WORKLOAD_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
    /** Inventory host names (the same rule as {@code InventoryLoader}'s). */
    static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
    static final Pattern CHILD_PREFIX = Pattern.compile("[A-Za-z0-9_-]+");
    static final Pattern CGROUP_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    static final Pattern SYSCTL_KEY = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_-]+)+");
    static final Pattern TRACE_EVENT = Pattern.compile("([a-z0-9_]+):([a-z0-9_]+)");
    static final Pattern PARAM_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    static final Pattern METRIC_PATH = Pattern.compile("[a-z0-9_]+(\\.[a-z0-9_]+)*");
    /** A kernel text symbol as /proc/kallsyms names it ({@code shrink_slab}, {@code foo.isra.0}). */
    static final Pattern KERNEL_SYMBOL = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]{0,127}");
    /** A name under {@code kmod.patch.points}; {@code none} is taken: {@code apply: none} means no patch. */
    static final Pattern PATCH_POINT_NAME = Pattern.compile("(?!none$)[A-Za-z0-9_-]{1,32}");
    /** One part of a gfp mask: a GFP_ flag name as the kernel source spells it, or a hex number. */
    static final String GFP_TOKEN = "_{0,2}GFP_[A-Z0-9_]+|0x[0-9a-fA-F]{1,8}";
    /** Gfp parts joined by '|'; only spaces around them, since the mask is pasted into the module's C source. */
    static final Pattern GFP_MASK = Pattern.compile(" *(" + GFP_TOKEN + ")( *\\| *(" + GFP_TOKEN + "))* *");
    private static final Pattern HEX_OFFSET = Pattern.compile("0x[0-9a-fA-F]+");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");

    static final Pattern KERNEL = BootTarget.KERNEL;
    static final Pattern CMDLINE_WORD = BootTarget.CMDLINE_WORD;

    static final Value<String> METRIC_PATH_VALUE = Value.matching(METRIC_PATH,
            "a metric path like memcg_reclaim.latency_us.p99");

    /** A plain decimal number, e.g. 1000 or 2.5. */
    static final Value<Double> NUMBER = node -> {
        if (node instanceof dev.reclaimlab.yaml.ScalarNode s && !s.isNull() && DECIMAL.matcher(s.text()).matches()) {
            return Double.parseDouble(s.text());
        }
        throw Invalid.expected("a number like 1000 or 2.5");
    };

    /** A non-negative percentage, written 20% (or a plain 20). */
    static final Value<Double> PERCENT = node -> {
        if (node instanceof dev.reclaimlab.yaml.ScalarNode s && !s.isNull()) {
            String text = s.text().endsWith("%") ? s.text().substring(0, s.text().length() - 1) : s.text();
            if (DECIMAL.matcher(text).matches() && !text.startsWith("-")) {
                return Double.parseDouble(text);
            }
        }
        throw Invalid.expected("a percentage like 20%");
    };

    static final Value<String> KERNEL_VALUE = Value.scalarText("a kernel")
            .check(k -> !k.startsWith("-"), k -> "must not start with '-', got \"" + k + "\"")
            .check(k -> KERNEL.matcher(k).matches(), k -> "expected a kernel: a release like 6.1.0-44-arm64, a Debian "
                    + "package name or version (6.12 picks the newest of a series where lab knows the packages), or "
                    + "a path to a .deb, .rpm or kernel folder (letters, digits and ._+~:/=- only), got \"" + k + "\"");
    /** A command-line word, or nothing at all: a variant that puts an empty value in adds or removes no word. */
    static final Value<String> CMDLINE_WORD_VALUE = Value.string("a kernel command-line word like cgroup.memory=nokmem "
            + "(quoted if it is a number)").check(w -> w.isEmpty() || CMDLINE_WORD.matcher(w).matches(),
            w -> "must be one command-line word (printable, without blanks or quotes), got \"" + w + "\"");

    static final Value<String> PLAN_NAME_VALUE = Value.matching(PLAN_NAME,
            "a name made of letters, digits, '.', '_' and '-', not starting with '.' or '-'");
    static final Value<String> WORKLOAD_NAME_VALUE = Value.matching(WORKLOAD_NAME,
            "a name made of letters, digits, '_' and '-', not starting with '-'");
    static final Value<String> HOST_NAME_VALUE = Value.matching(HOST_NAME,
            "a host name made of letters, digits, '.', '_' and '-', not starting with '.' or '-'");
    static final Value<String> CHILD_PREFIX_VALUE = Value.matching(CHILD_PREFIX,
            "a name prefix made of letters, digits, '_' and '-'");
    static final Value<String> TRACE_EVENT_VALUE = Value.matching(TRACE_EVENT,
            "a tracepoint \"system:event\" like vmscan:mm_vmscan_memcg_reclaim_begin (lower case, digits, '_')");

    /** A byte count: a YAML integer, or text such as {@code 100M}. */
    static final Value<Size> SIZE = node -> {
        if (node instanceof ScalarNode s) {
            if (s.integer() != null && s.integer().signum() >= 0 && s.integer().bitLength() < 64) {
                return new Size(s.integer().longValueExact());
            }
            if (s.isString()) {
                var size = Size.tryParse(s.text());
                if (size.isPresent()) {
                    return size.get();
                }
            }
        }
        throw Invalid.expected(Size.EXPECTED);
    };

    /** A size, or {@code max}. */
    static final Value<Limit> LIMIT = node -> {
        if (node instanceof ScalarNode s && s.isString() && s.text().equals("max")) {
            return Limit.MAX;
        }
        try {
            return Limit.of(SIZE.read(node));
        } catch (Invalid e) {
            throw Invalid.expected(Size.EXPECTED + ", or max");
        }
    };

    static final Value<Duration> DURATION = node -> {
        if (node instanceof ScalarNode s && s.isString()) {
            var d = Durations.tryParse(s.text());
            if (d.isPresent()) {
                return d.get();
            }
        }
        throw Invalid.expected(Durations.EXPECTED);
    };

    static Value<Size> sizeAtLeast(Size min) {
        return SIZE.check(s -> s.bytes() >= min.bytes(), s -> "must be at least " + min + ", got " + s);
    }

    static Value<Duration> durationAtLeast(Duration min) {
        return DURATION.check(d -> d.compareTo(min) >= 0,
                d -> "must be at least " + Durations.format(min) + ", got " + Durations.format(d));
    }

    static final int MAX_COPIES = 10_000;

    /** A positive count, or {@code per-child}. */
    static final Value<Copies> COPIES = node -> {
        if (node instanceof ScalarNode s) {
            BigInteger n = s.integer();
            if (n != null && n.signum() > 0 && n.compareTo(BigInteger.valueOf(MAX_COPIES)) <= 0) {
                return new Copies.Count(n.intValueExact());
            }
            if (s.isString() && s.text().equals("per-child")) {
                return new Copies.PerChild();
            }
        }
        throw Invalid.expected("a number of copies 1.." + MAX_COPIES + ", or per-child");
    };

    /** A relative cgroup path, {@code kubepods/besteffort}, each problem worded on its own. */
    static final Value<String> CGROUP_PATH = node -> {
        if (!(node instanceof ScalarNode s) || !s.isString()) {
            throw Invalid.expected("a relative cgroup path like kubepods/besteffort");
        }
        String path = s.text();
        if (path.startsWith("/")) {
            throw Invalid.expected("a cgroup path relative to the run's cgroup (no leading '/')");
        }
        if (path.isEmpty() || path.endsWith("/") || path.contains("//")) {
            throw Invalid.expected("a relative cgroup path like kubepods/besteffort (names separated by one '/')");
        }
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw Invalid.expected("a cgroup path without '.' or '..'");
            }
            if (!CGROUP_NAME.matcher(segment).matches()) {
                throw Invalid.expected("a cgroup path of names made of letters, digits, '.', '_' and '-'");
            }
            if (segment.startsWith("cgroup.") || segment.startsWith("memory.")) {
                throw Invalid.expected("cgroup names that do not start with 'cgroup.' or 'memory.' "
                        + "(those are control files)");
            }
        }
        return path;
    };

    /** An absolute file path; no newline or NUL, no '.' or '..' parts, not a directory. */
    static final Value<String> ABSOLUTE_FILE = node -> {
        if (!(node instanceof ScalarNode s) || !s.isString()) {
            throw Invalid.expected("an absolute file path like /var/tmp/lab-swap");
        }
        String path = s.text();
        if (!path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw Invalid.expected("an absolute file path like /var/tmp/lab-swap");
        }
        if (path.indexOf('\n') >= 0 || path.indexOf('\r') >= 0 || path.indexOf('\0') >= 0) {
            throw Invalid.expected("a file path without line breaks or NUL characters");
        }
        for (String segment : path.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw Invalid.expected("a file path without '.' or '..' parts");
            }
        }
        return path;
    };

    static final Value<String> KERNEL_SYMBOL_VALUE = Value.matching(KERNEL_SYMBOL,
            "a kernel symbol like shrink_slab (at most 128 letters, digits, '_' and '.', not starting with a digit "
                    + "or '.')");

    /**
     * A gfp mask, stored as {@code GFP_KERNEL | __GFP_NOWARN}. An unquoted {@code 0x6000c0} is a YAML integer; it
     * is taken as written, but a decimal number is refused, since masks are read and compared in hex.
     */
    static final Value<String> GFP_MASK_VALUE = node -> {
        if (node instanceof ScalarNode s && (s.isString() || s.integer() != null)
                && GFP_MASK.matcher(s.text()).matches()) {
            return Arrays.stream(s.text().split("\\|")).map(String::strip).collect(Collectors.joining(" | "));
        }
        throw Invalid.expected("a gfp mask like GFP_KERNEL, \"GFP_KERNEL | __GFP_NOWARN\" or 0x6000c0 "
                + "(GFP_ flag names or hex numbers joined by '|')");
    };

    /** Patches stay within a function's first MiB: further than that is surely a wrong offset. */
    static final long MAX_PATCH_OFFSET = (1L << 20) - 4;

    /**
     * A byte offset into a kernel function: a YAML integer in any spelling, or a {@code "0x150"} string as
     * objdump and kernel backtraces print it ({@code shrink_slab+0x150}).
     */
    static final Value<Long> PATCH_OFFSET = node -> {
        String expected = "a byte offset 0.." + MAX_PATCH_OFFSET + " like 0, 336 or 0x150";
        BigInteger n = null;
        if (node instanceof ScalarNode s) {
            if (s.integer() != null) {
                n = s.integer();
            } else if (s.isString() && HEX_OFFSET.matcher(s.text()).matches()) {
                n = new BigInteger(s.text().substring(2), 16);
            }
        }
        if (n == null || n.signum() < 0 || n.compareTo(BigInteger.valueOf(MAX_PATCH_OFFSET)) > 0) {
            throw Invalid.expected(expected);
        }
        if (n.longValueExact() % 4 != 0) {
            throw Invalid.because("must be a multiple of 4 (AArch64 instructions are 4 bytes), got "
                    + node.describe());
        }
        return n.longValueExact();
    };

    /**
     * One instruction of a patch, assembly or hex, kept as written. An unquoted {@code 0xd2800000} or
     * {@code 12345678} is a YAML integer: its text as written is what {@link Instruction#parse} reads, so hex
     * digits stay hex even without a letter among them.
     */
    static final Value<PatchSpec.PlannedInstruction> INSTRUCTION = node -> {
        if (node instanceof ScalarNode s && (s.isString() || s.integer() != null)) {
            try {
                return new PatchSpec.PlannedInstruction(s.text(), Instruction.parse(s.text()));
            } catch (Arm64Assembler.SyntaxException e) {
                throw Invalid.because(e.getMessage());
            }
        }
        throw Invalid.expected("an instruction like \"mov x0, #0\" or 8 hex digits like 0xd2800000");
    };
}
