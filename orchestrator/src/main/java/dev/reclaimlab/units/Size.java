package dev.reclaimlab.units;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact number of bytes. Parsed from the notations kernel engineers type: {@code 100M}, {@code 1G},
 * {@code 64Mi}, {@code 512K}, {@code 4096}, {@code 1.5G}. K/M/G/T and Ki/Mi/Gi/Ti are powers of 1024 (as the kernel's
 * cgroup files and dd read them); KB/MB/GB/TB are powers of 1000 (as dd reads them).
 */
public record Size(long bytes) {
    public Size {
        if (bytes < 0) {
            throw new IllegalArgumentException("size must not be negative: " + bytes);
        }
    }

    /** What a size may look like, for error messages: {@code expected a size like ...}. */
    public static final String EXPECTED = "a size like 100M, 1G, 64Mi or 4096";

    private static final Pattern SYNTAX =
            Pattern.compile("([0-9]+)(?:\\.([0-9]+))?(Ki|Mi|Gi|Ti|KB|MB|GB|TB|K|M|G|T|k|m|g)?");

    /**
     * Parses {@code 100M}, {@code 1G}, {@code 64Mi}, {@code 512K}, {@code 1KB} (1000), {@code 1.5G}, {@code 4096}.
     * K/M/G/T, Ki/Mi/Gi/Ti and k/m/g are powers of 1024, KB/MB/GB/TB powers of 1000. A decimal point is allowed
     * when the result is a whole number of bytes.
     *
     * @throws IllegalArgumentException {@code expected a size like 100M, 1G, 64Mi or 4096, got "10X"}
     */
    public static Size parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(
                "expected " + EXPECTED + ", got \"" + text + "\""));
    }

    /** {@link #parse} without the exception: empty for anything that is not exactly a size. */
    public static Optional<Size> tryParse(String text) {
        if (text == null || text.length() > 40) {
            return Optional.empty();
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2));
        BigDecimal bytes = number.multiply(new BigDecimal(multiplier(m.group(3))));
        try {
            BigInteger whole = bytes.toBigIntegerExact();
            return Optional.of(new Size(whole.longValueExact()));
        } catch (ArithmeticException notWholeOrTooBig) {
            return Optional.empty();
        }
    }

    private static BigInteger multiplier(String unit) {
        if (unit == null) {
            return BigInteger.ONE;
        }
        int power = switch (Character.toUpperCase(unit.charAt(0))) {
            case 'K' -> 1;
            case 'M' -> 2;
            case 'G' -> 3;
            case 'T' -> 4;
            default -> throw new IllegalStateException(unit);
        };
        BigInteger base = unit.endsWith("B") ? BigInteger.valueOf(1000) : BigInteger.valueOf(1024);
        return base.pow(power);
    }

    public static Size ofBytes(long bytes) {
        return new Size(bytes);
    }

    public long kib() {
        return bytes / 1024;
    }

    public long mib() {
        return bytes / (1024 * 1024);
    }

    /** The shortest exact spelling: {@code 100M} rather than {@code 104857600}. */
    @Override
    public String toString() {
        String[] units = {"", "K", "M", "G", "T"};
        long value = bytes;
        int unit = 0;
        while (value != 0 && value % 1024 == 0 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }
}
