package dev.reclaimlab.vm;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few questions lab asks apt, by package name: the candidate version of a package, which packages start with a
 * name, what a meta package depends on, and downloading one {@code .deb} (never installing it). Every apt-cache call
 * costs a second or two here (no binary cache), so callers ask only when the local cache cannot answer.
 */
final class Apt {
    private static final Duration QUERY = Duration.ofMinutes(2);
    private static final Duration DOWNLOAD = Duration.ofMinutes(15);
    private static final Pattern CANDIDATE = Pattern.compile("^\\s*Candidate:\\s*(\\S+)\\s*$", Pattern.MULTILINE);

    private Apt() {}

    /** The version apt would fetch for {@code pkg} (e.g. {@code busybox-static:arm64}), if the lists know it. */
    static Optional<String> candidate(String pkg) throws IOException {
        HostCommand.Result r = HostCommand.check(List.of("apt-cache", "policy", pkg), QUERY);
        Matcher m = CANDIDATE.matcher(r.stdout());
        return m.find() && !m.group(1).equals("(none)") ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Package names that start with {@code prefix}, of every architecture apt knows. */
    static List<String> names(String prefix) throws IOException {
        return HostCommand.check(List.of("apt-cache", "pkgnames", prefix), QUERY).stdout().lines()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The packages {@code pkg} depends on, as apt-cache depends prints them (with {@code :arch} where foreign). */
    static List<String> depends(String pkg) throws IOException {
        HostCommand.Result r = HostCommand.run(List.of("apt-cache", "depends", pkg), QUERY);
        List<String> out = new ArrayList<>();
        if (!r.ok()) {
            return out;
        }
        for (String line : r.stdout().lines().toList()) {
            String s = line.strip();
            if (s.startsWith("Depends:")) {
                out.add(s.substring("Depends:".length()).strip().replace("<", "").replace(">", ""));
            }
        }
        return out;
    }

    /**
     * Downloads {@code packages} (e.g. {@code dropbear-bin:arm64}) into {@code dir} in one apt call (each call costs
     * seconds of apt start-up) and returns their files, in the same order. They land in a private folder first, so a
     * crash never leaves a partial {@code .deb} where the cache would trust it.
     */
    static List<Path> download(List<String> packages, Path dir) throws IOException, VmException {
        Files.createDirectories(dir);
        Path partial = Files.createTempDirectory(dir, ".download-");
        try {
            List<String> argv = new ArrayList<>(List.of("apt-get", "download", "-q"));
            argv.addAll(packages);
            HostCommand.Result r = HostCommand.run(argv, DOWNLOAD, partial);
            if (!r.ok()) {
                String said = r.stderr() + r.stdout();
                if (said.contains("Unable to locate") || said.contains("Can't select") || said.contains("has no installation candidate")) {
                    throw new VmException(VmException.Kind.MISSING, "apt does not know some of " + packages
                            + " (is the arm64 architecture enabled and are the lists current? as root: "
                            + "dpkg --add-architecture arm64 && apt-get update)\n" + r.describe());
                }
                throw new VmException(VmException.Kind.FAILED, "could not download " + packages + ": " + r.describe());
            }
            List<Path> files = new ArrayList<>();
            for (String pkg : packages) {
                String name = pkg.contains(":") ? pkg.substring(0, pkg.indexOf(':')) : pkg;
                Path deb = null;
                try (DirectoryStream<Path> found = Files.newDirectoryStream(partial, name + "_*.deb")) {
                    for (Path f : found) {
                        deb = f;
                    }
                }
                if (deb == null) {
                    throw new VmException(VmException.Kind.FAILED, "apt-get download " + pkg + " left no .deb file");
                }
                Path target = dir.resolve(deb.getFileName().toString());
                Files.move(deb, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                files.add(target);
            }
            return files;
        } finally {
            Trees.delete(partial);
        }
    }
}
