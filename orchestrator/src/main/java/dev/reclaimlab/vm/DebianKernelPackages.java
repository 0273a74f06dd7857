package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import dev.reclaimlab.local.Trees;
import dev.reclaimlab.shell.Sh;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

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

    /**
     * One build of a Debian kernel as apt offers it.
     *
     * @param abi     {@code 6.1.0-44}: what lab's boot methods accept as a kernel
     * @param pkg     the package lab downloads: the signed image where the archive has one, else the -unsigned one
     * @param version the Debian version of that package ({@code 6.1.164-1}), by which builds are ordered
     * @param sha256  the package file's checksum: two names for the same file are one build
     */
    public record Build(String abi, String pkg, String version, String sha256) {}

    /**
     * The builds of the generic flavour for a {@code machine} ({@code uname -m}) whose ABI, release or package name
     * matches {@code glob} ({@code *} and {@code ?}), oldest first by Debian version; a build apt lists under two
     * names (the same checksum) is kept once.
     */
    public static List<Build> matching(String glob, String machine) throws IOException, VmException {
        String arch = debArch(machine).orElseThrow(() -> new VmException(VmException.Kind.BAD_INPUT,
                "lab knows no Debian architecture for a " + machine + " machine"));
        Pattern image = Pattern.compile("linux-image-(" + ABI_FORM + ")-" + Pattern.quote(arch) + "(-unsigned)?");
        Pattern wanted = globPattern(glob);
        Map<String, String> packageByAbi = new LinkedHashMap<>();
        for (String name : Apt.names("linux-image-")) {
            String bare = Apt.packageName(name);
            Matcher m = image.matcher(bare);
            if (!m.matches()) {
                continue;
            }
            String abi = m.group(1);
            if (!wanted.matcher(abi).matches() && !wanted.matcher(abi + "-" + arch).matches()
                    && !wanted.matcher("linux-image-" + abi + "-" + arch).matches()) {
                continue;
            }
            if (m.group(2) == null || !packageByAbi.containsKey(abi)) { // the signed image wins
                packageByAbi.put(abi, bare + ":" + arch);
            }
        }
        if (packageByAbi.isEmpty()) {
            return List.of();
        }
        Map<String, Build> byPackage = new LinkedHashMap<>();
        Map<String, String> abiByPackage = new LinkedHashMap<>();
        packageByAbi.forEach((abi, pkg) -> abiByPackage.put(Apt.packageName(pkg), abi));
        for (Map<String, String> stanza : Apt.show(List.copyOf(packageByAbi.values()))) {
            String name = stanza.getOrDefault("Package", "");
            String abi = abiByPackage.get(name);
            if (abi == null || !arch.equals(stanza.getOrDefault("Architecture", arch))) {
                continue;
            }
            Build build = new Build(abi, name + ":" + arch, stanza.getOrDefault("Version", ""),
                    stanza.getOrDefault("SHA256", ""));
            Build known = byPackage.get(name);
            if (known == null || DebianVersion.compare(build.version(), known.version()) > 0) {
                byPackage.put(name, build); // several suites: the newest version is what apt downloads
            }
        }
        List<Build> builds = new ArrayList<>(byPackage.values());
        builds.sort(Comparator.comparing(Build::version, DebianVersion.ORDER).thenComparing(Build::abi));
        Set<String> checksums = new HashSet<>();
        builds.removeIf(b -> !b.sha256().isEmpty() && !checksums.add(b.sha256()));
        return List.copyOf(builds);
    }

    /**
     * The changelog a build's package carries ({@code usr/share/doc/PKG/changelog.Debian.gz} or {@code changelog.gz}):
     * the package is downloaded into {@code scratch}, the file read out of it, the package deleted.
     */
    public static String changelog(Build build, Path scratch) throws IOException, VmException {
        Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "changelog-");
        try {
            Path deb = Apt.download(List.of(build.pkg()), dir).get(0);
            Path gz = dir.resolve("changelog.gz");
            String name = Apt.packageName(build.pkg());
            String extract = "dpkg-deb --fsys-tarfile " + Sh.quote(deb.toString()) + " | tar -xO "
                    + Sh.quote("./usr/share/doc/" + name + "/changelog.Debian.gz") + " "
                    + Sh.quote("./usr/share/doc/" + name + "/changelog.gz") + " 2>/dev/null > "
                    + Sh.quote(gz.toString()) + "; test -s " + Sh.quote(gz.toString());
            HostCommand.Result r = HostCommand.run(List.of("sh", "-c", extract),
                    Duration.ofMinutes(2));
            if (!r.ok()) {
                throw new VmException(VmException.Kind.FAILED, build.pkg() + " carries no changelog lab can read");
            }
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            Trees.delete(dir);
        }
    }

    /** A shell-like glob over a whole name: {@code *} any run of characters, {@code ?} one. */
    public static Pattern globPattern(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

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
