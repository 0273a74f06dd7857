package dev.reclaimlab.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A Debian kernel package for a server, named by package, release or ABI, downloaded here with apt (never installed
 * here) for the server's architecture; the server unpacks and installs it for a boot. This machine's apt must know
 * that architecture's package lists ({@code dpkg --add-architecture arm64 && apt-get update}, as lab vm needs too).
 */
public final class DebianKernelPackages {
    /** dpkg's names of the architectures {@code uname -m} prints. */
    private static final Map<String, String> DEB_ARCH = Map.of("aarch64", "arm64", "x86_64", "amd64",
            "armv7l", "armhf", "ppc64le", "ppc64el", "s390x", "s390x", "riscv64", "riscv64", "i686", "i386");
    /** An ABI as Debian names kernels: {@code 6.1.0-44}, {@code 6.12.57+deb13}. */
    private static final String ABI_FORM = "[0-9]+\\.[0-9]+\\.[0-9]+(?:-[0-9]+|\\+[a-z0-9.]+)";
    private static final Pattern ABI = Pattern.compile(ABI_FORM);
    /** A release: an ABI and a flavour ({@code -arm64}, {@code -cloud-amd64}, {@code -rt-arm64}). */
    private static final Pattern RELEASE = Pattern.compile(ABI_FORM + "-[a-z][a-z0-9-]*");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.+-]{1,120}");

    private DebianKernelPackages() {}

    /** dpkg's architecture of a machine that says {@code machine} in {@code uname -m}. */
    static Optional<String> debArch(String machine) {
        return Optional.ofNullable(DEB_ARCH.get(machine));
    }

    /**
     * The package {@code kernel} names on an {@code arch} machine: {@code linux-image-...} as it is, a release
     * ({@code 6.1.0-44-arm64}) as {@code linux-image-RELEASE}, an ABI ({@code 6.1.0-44}) with the generic flavour of
     * the architecture; empty for anything else (a series: pick one ABI).
     */
    static Optional<String> packageName(String kernel, String arch) {
        if (!NAME.matcher(kernel).matches()) {
            return Optional.empty();
        }
        if (kernel.startsWith("linux-image-")) {
            return Optional.of(kernel);
        }
        if (ABI.matcher(kernel).matches()) {
            return Optional.of("linux-image-" + kernel + "-" + arch);
        }
        if (RELEASE.matcher(kernel).matches()) {
            return Optional.of("linux-image-" + kernel);
        }
        return Optional.empty();
    }

    /**
     * Downloads the package {@code kernel} names for a {@code machine} ({@code uname -m}) into {@code into}.
     *
     * @return the {@code .deb} file
     * @throws VmException BAD_INPUT when {@code kernel} names no kernel package, or apt does not know it
     */
    public static Path download(String kernel, String machine, Path into) throws IOException, VmException {
        String arch = debArch(machine).orElseThrow(() -> new VmException(VmException.Kind.BAD_INPUT,
                "lab knows no Debian architecture for a " + machine + " machine"));
        String name = packageName(kernel, arch).orElseThrow(() -> new VmException(VmException.Kind.BAD_INPUT,
                "not a Debian kernel package, release or ABI (linux-image-6.1.0-44-" + arch + ", 6.1.0-44-" + arch
                        + ", 6.1.0-44): " + kernel));
        String pkg = name + ":" + arch;
        // Debian publishes a build's signed image a while after its -unsigned one: the same kernel
        String unsigned = name + "-unsigned:" + arch;
        if (Apt.candidate(pkg).isEmpty()) {
            if (kernel.startsWith("linux-image-") || name.endsWith("-unsigned") || Apt.candidate(unsigned).isEmpty()) {
                throw new VmException(VmException.Kind.BAD_INPUT, "apt on this machine knows no package " + pkg
                        + " (apt-cache policy " + pkg + "; for another architecture: dpkg --add-architecture " + arch
                        + " && apt-get update)");
            }
            pkg = unsigned;
        }
        List<Path> debs = Apt.download(List.of(pkg), into);
        return debs.get(0);
    }
}
