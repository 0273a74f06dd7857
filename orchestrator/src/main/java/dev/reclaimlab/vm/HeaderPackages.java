package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three Debian packages the headers of one arm64 kernel come in, each at an exact version for {@code apt-get
 * download}: {@code linux-headers-RELEASE:arm64} (config, Module.symvers, the Makefile), {@code
 * linux-headers-ABI-common} (the headers proper, architecture all) and {@code linux-kbuild-X.Y} of this machine's
 * architecture (fixdep and modpost run here, not in the guest). The names and versions come from the headers
 * package's own Depends, so they match it and nothing is hard-coded.
 *
 * @param version  the Debian version of the headers package, e.g. {@code 6.1.192-2}
 * @param headers  e.g. {@code linux-headers-6.1.0-56-arm64:arm64=6.1.192-2}
 * @param common   e.g. {@code linux-headers-6.1.0-56-common=6.1.192-2}
 * @param kbuild   e.g. {@code linux-kbuild-6.1:amd64=6.1.192-2}
 */
record HeaderPackages(String version, String headers, String common, String kbuild) {
    private static final Pattern RELATION = Pattern.compile(
            "([a-z0-9][a-z0-9+.-]+)(?::[a-z0-9-]+)?\\s*(?:\\(\\s*(<<|<=|=|>=|>>)\\s*([^)\\s]+)\\s*\\))?");
    private static final Pattern ARM64_HEADERS = Pattern.compile("linux-headers-([0-9][^:]*-arm64)");

    /** One package of a Depends field, with its version relation if it has one ({@code >=}, {@code 6.1.192-2}). */
    record Dependency(String name, String relation, String version) {}

    List<String> specs() {
        return List.of(headers, common, kbuild);
    }

    /** The package of the arm64 headers of {@code release}. */
    static String headersPackage(String release) {
        return "linux-headers-" + release + ":arm64";
    }

    /** Asks apt which versions to download; a package apt does not know is an error that says how to fix it. */
    static HeaderPackages resolve(String release) throws IOException, VmException {
        String pkg = headersPackage(release);
        Optional<String> version = Apt.candidate(pkg);
        if (version.isEmpty()) {
            throw new VmException(VmException.Kind.MISSING, "apt knows no " + pkg + " (the headers of kernel "
                    + release + "). Enable the arm64 architecture and fetch its package lists, as root: "
                    + "dpkg --add-architecture arm64 && apt-get update. The archive keeps only recent kernel ABIs; "
                    + "arm64 headers it offers now: " + offered());
        }
        String exact = pkg + "=" + version.get();
        Map<String, String> fields = Apt.show(exact).stream().findFirst().orElseThrow(() ->
                new VmException(VmException.Kind.FAILED, "apt-cache show " + exact + " said nothing"));
        List<Dependency> depends = depends(fields.getOrDefault("Depends", ""));
        Dependency common = find(depends, pkg,
                d -> d.name().startsWith("linux-headers-") && d.name().contains("-common"));
        Dependency kbuild = find(depends, pkg, d -> d.name().startsWith("linux-kbuild-"));
        String arch = HostCommand.check(List.of("dpkg", "--print-architecture"), Duration.ofSeconds(30))
                .stdout().strip();
        String kbuildPkg = kbuild.name() + ":" + arch;
        return new HeaderPackages(version.get(), exact,
                common.name() + "=" + (common.version() != null ? common.version() : version.get()),
                kbuildPkg + "=" + kbuildVersion(kbuildPkg, kbuild));
    }

    /**
     * The headers ask for {@code linux-kbuild-X.Y (>= their version)}. The same version is the one built with them;
     * the archive drops it for older ABIs, and then apt's candidate (newer, from the same stable series) is taken.
     */
    private static String kbuildVersion(String pkg, Dependency wanted) throws IOException, VmException {
        if (wanted.version() != null
                && Apt.show(pkg).stream().anyMatch(f -> wanted.version().equals(f.get("Version")))) {
            return wanted.version();
        }
        return Apt.candidate(pkg).orElseThrow(() -> new VmException(VmException.Kind.MISSING, "apt knows no " + pkg
                + " (make's helpers for these headers, for this machine). Fetch the package lists, as root: "
                + "apt-get update"));
    }

    /** Parses a Depends field; of alternatives ({@code a | b}) the first is taken, as apt does. */
    static List<Dependency> depends(String field) {
        List<Dependency> out = new ArrayList<>();
        for (String item : field.split(",")) {
            String first = item.split("\\|")[0].strip();
            Matcher m = RELATION.matcher(first);
            if (!first.isEmpty() && m.matches()) {
                out.add(new Dependency(m.group(1), m.group(2), m.group(3)));
            }
        }
        return out;
    }

    private static Dependency find(List<Dependency> depends, String pkg, java.util.function.Predicate<Dependency> which)
            throws VmException {
        return depends.stream().filter(which).findFirst().orElseThrow(() -> new VmException(VmException.Kind.FAILED,
                pkg + " does not depend on the packages lab expects (linux-headers-*-common, linux-kbuild-*): "
                        + depends.stream().map(Dependency::name).toList()));
    }

    private static String offered() throws IOException {
        List<String> releases = new ArrayList<>();
        for (String name : Apt.names("linux-headers-")) {
            Matcher m = ARM64_HEADERS.matcher(name);
            if (m.matches() && KernelCatalog.abiOf(m.group(1)).isPresent()) {
                releases.add(m.group(1));
            }
        }
        releases.sort(KernelCatalog.NEWEST_FIRST.reversed());
        return releases.isEmpty() ? "none" : String.join(", ", releases);
    }
}
