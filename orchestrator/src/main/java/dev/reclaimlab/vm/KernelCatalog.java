package dev.reclaimlab.vm;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Debian arm64 kernels can be booted, asked of apt at run time: the archive keeps a changing set of ABIs, so
 * nothing is hard-coded. Every ABI has a signed image ({@code linux-image-6.1.0-N-arm64}), only some still have the
 * {@code -unsigned} one; both hold the same kernel and modules (the signature is an EFI one, which QEMU's direct
 * kernel boot ignores), so the unsigned package is taken where apt has it and the signed one otherwise. The default is the ABI Debian's own
 * {@code linux-image-arm64} meta package points at, which is the newest of Debian's kernel series; {@code --kernel}
 * picks an ABI exactly ({@code 6.1.0-56}) or the newest of a series ({@code 6.1}, {@code 6.12}).
 */
final class KernelCatalog {
    static final String META = "linux-image-arm64:arm64";
    /** The generic arm64 flavour only: -cloud and -rt images lack drivers or behave differently under reclaim. */
    private static final Pattern IMAGE = Pattern.compile(
            "linux-image-([0-9]+\\.[0-9]+\\.[0-9]+(?:-[0-9]+|\\+[a-z0-9.]+))-arm64(?:-unsigned)?(?::arm64)?");
    static final Comparator<String> NEWEST_FIRST = KernelCatalog::compareVersions;
    /** What {@code uname -r} prints in a guest of the generic flavour: the ABI and {@code -arm64}. */
    private static final Pattern RELEASE = Pattern.compile("([0-9]+\\.[0-9]+\\.[0-9]+(?:-[0-9]+|\\+[a-z0-9.]+))-arm64");

    private KernelCatalog() {}

    /** The package holding the image and modules of {@code abi}: the unsigned one where apt has it. */
    static String imagePackage(String abi) throws IOException {
        String unsigned = unsignedPackage(abi);
        return Apt.candidate(unsigned).isPresent() || Apt.candidate(signedPackage(abi)).isEmpty() ? unsigned
                : signedPackage(abi);
    }

    static String unsignedPackage(String abi) {
        return "linux-image-" + abi + "-arm64-unsigned:arm64";
    }

    static String signedPackage(String abi) {
        return "linux-image-" + abi + "-arm64:arm64";
    }

    /** The ABI of a generic arm64 release ({@code 6.1.0-56} of {@code 6.1.0-56-arm64}); empty for anything else. */
    static Optional<String> abiOf(String release) {
        Matcher m = RELEASE.matcher(release);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The release a guest booted with the generic flavour of {@code abi} reports. */
    static String releaseOf(String abi) {
        return abi + "-arm64";
    }

    /** ABIs the archive offers now, newest first. */
    static List<String> available() throws IOException {
        Set<String> abis = new LinkedHashSet<>();
        for (String name : Apt.names("linux-image-")) {
            Matcher m = IMAGE.matcher(name);
            if (m.matches()) {
                abis.add(m.group(1));
            }
        }
        List<String> sorted = new ArrayList<>(abis);
        sorted.sort(NEWEST_FIRST.reversed());
        return sorted;
    }

    /** The ABI {@code linux-image-arm64} depends on: what a Debian arm64 server installs by default. */
    static Optional<String> debianDefault() throws IOException {
        for (String dep : Apt.depends(META)) {
            Matcher m = IMAGE.matcher(dep);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    /**
     * The ABI to boot. An exact ABI already prepared in the cache is taken without asking apt, so a VM can be booted
     * again after its ABI left the archive.
     */
    static String choose(Optional<String> wanted, Collection<String> cached) throws IOException, VmException {
        if (wanted.isPresent() && cached.contains(wanted.get())) {
            return wanted.get();
        }
        if (wanted.isPresent() && IMAGE.matcher(unsignedPackage(wanted.get())).matches()
                && Apt.candidate(imagePackage(wanted.get())).isPresent()) {
            return wanted.get();
        }
        List<String> available = available();
        if (wanted.isEmpty()) {
            Optional<String> debian = debianDefault().filter(available::contains);
            if (debian.isPresent()) {
                return debian.get();
            }
            if (!available.isEmpty()) {
                return available.get(0);
            }
            throw new VmException(VmException.Kind.MISSING, "apt knows no arm64 kernel (" + META + "). Enable the "
                    + "arm64 architecture and fetch its package lists, as root: dpkg --add-architecture arm64 && "
                    + "apt-get update");
        }
        String w = wanted.get();
        List<String> all = new ArrayList<>(available);
        cached.stream().filter(c -> !all.contains(c)).forEach(all::add);
        all.sort(NEWEST_FIRST.reversed());
        for (String abi : all) {
            if (abi.startsWith(w + ".") || abi.startsWith(w + "-") || abi.startsWith(w + "+")) {
                return abi;
            }
        }
        throw new VmException(VmException.Kind.MISSING, "no arm64 kernel " + w + " in the archive"
                + (cached.isEmpty() ? "" : " or the cache") + "; the archive keeps only recent ABIs. Available: "
                + (available.isEmpty() ? "none (run apt-get update?)" : String.join(", ", available))
                + (cached.isEmpty() ? "" : "; cached: " + String.join(", ", cached)));
    }

    /** Orders kernel versions by their numbers: 6.12.117+deb12 is newer than 6.1.0-56, -56 newer than -9. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        String[] y = b.split("(?<=\\d)(?=\\D)|(?<=\\D)(?=\\d)");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean nx = Character.isDigit(x[i].charAt(0));
            boolean ny = Character.isDigit(y[i].charAt(0));
            int c;
            if (nx && ny) {
                c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
            } else {
                c = x[i].compareTo(y[i]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }
}
