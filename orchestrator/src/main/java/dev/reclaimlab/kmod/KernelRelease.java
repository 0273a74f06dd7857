package dev.reclaimlab.kmod;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel release as {@code uname -r} prints it ({@code 6.1.0-56-arm64}, {@code 4.18.0-372.19.1.el8_6.aarch64},
 * {@code 6.6.0-28.0.0.34.oe2403.aarch64}, {@code 6.18.44-fc-v595}), with the version numbers it starts with.
 *
 * @param release the whole string, as given (without surrounding white space)
 * @param major   e.g. 6
 * @param minor   e.g. 1
 * @param patch   e.g. 0; 0 when the release has only two numbers ({@code 7.3-rc1})
 */
public record KernelRelease(String release, int major, int minor, int patch) {
    // major.minor[.patch], then the end or a separator: "6.1.0-56-arm64", "6.12.107+deb13-arm64", "7.3-rc1".
    private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})(?:\\.(\\d{1,6}))?(?=$|[-+.~_])");
    // What distributions append for the architecture: ".aarch64" (RHEL, openEuler), "-arm64" (Debian, Ubuntu).
    private static final Pattern SEPARATORS = Pattern.compile("[-+.~]");

    public KernelRelease {
        if (release == null || release.isBlank()) {
            throw new IllegalArgumentException("a kernel release must not be empty");
        }
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("kernel version numbers are never negative: " + release);
        }
    }

    /**
     * Reads a {@code uname -r} string.
     *
     * @throws IllegalArgumentException saying what was expected, for anything that does not start with
     *                                  {@code major.minor}
     */
    public static KernelRelease parse(String unameR) {
        if (unameR == null || unameR.isBlank()) {
            throw new IllegalArgumentException(
                    "not a kernel release: empty (expected what uname -r prints, e.g. 6.1.0-56-arm64)");
        }
        String release = unameR.strip();
        Matcher m = VERSION.matcher(release);
        if (!m.lookingAt()) {
            throw new IllegalArgumentException("not a kernel release: \"" + release
                    + "\" (expected what uname -r prints, starting with major.minor, e.g. 6.1.0-56-arm64)");
        }
        int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new KernelRelease(release, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch);
    }

    /** {@code "6.1"}: the series, as template properties and messages name it. */
    public String series() {
        return major + "." + minor;
    }

    /** Compares only the series ({@code major.minor}): negative when this is older than {@code major.minor}. */
    public int compareSeries(int otherMajor, int otherMinor) {
        return major != otherMajor ? Integer.compare(major, otherMajor) : Integer.compare(minor, otherMinor);
    }

    /**
     * The architecture the release string names, when it names one: {@code arm64} for {@code ...-arm64} or
     * {@code ....aarch64}, {@code x86_64} for {@code ...-amd64} or {@code ....x86_64}, and so on. Empty for a release
     * that says nothing about it ({@code 6.18.44-fc-v595}); then only {@code uname -m} can tell.
     */
    public Optional<String> archFromRelease() {
        Matcher m = VERSION.matcher(release);
        String rest = m.lookingAt() ? release.substring(m.end()) : release;
        for (String token : SEPARATORS.split(rest.toLowerCase(Locale.ROOT))) {
            Optional<String> arch = knownArch(token);
            if (arch.isPresent()) {
                return arch;
            }
        }
        return Optional.empty();
    }

    /**
     * The kernel's name for a machine as {@code uname -m} (or a package architecture) names it: {@code aarch64}
     * and {@code arm64} are {@code arm64}, {@code x86_64} and {@code amd64} are {@code x86_64}; other names are
     * returned lower-cased as they are.
     */
    public static String normalizeArch(String machine) {
        if (machine == null || machine.isBlank()) {
            throw new IllegalArgumentException("no machine name (expected what uname -m prints, e.g. aarch64)");
        }
        String m = machine.strip().toLowerCase(Locale.ROOT);
        return knownArch(m).orElse(m);
    }

    private static Optional<String> knownArch(String token) {
        return switch (token) {
            case "aarch64", "arm64" -> Optional.of("arm64");
            case "x86_64", "amd64", "x64" -> Optional.of("x86_64");
            case "i386", "i686", "x86" -> Optional.of("x86");
            case "ppc64le", "ppc64el" -> Optional.of("ppc64le");
            case "s390x" -> Optional.of("s390x");
            case "riscv64" -> Optional.of("riscv64");
            case "loongarch64", "loong64" -> Optional.of("loongarch64");
            default -> Optional.empty();
        };
    }

    @Override
    public String toString() {
        return release;
    }
}
