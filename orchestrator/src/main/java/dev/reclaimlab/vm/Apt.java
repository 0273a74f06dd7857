package dev.reclaimlab.vm;

import dev.reclaimlab.local.HostCommand;
import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few questions lab asks apt, by package name: the candidate version of a package, which packages start with a
 * name, what a meta package depends on, the control fields of a package's versions, and downloading {@code .deb}
 * files (never installing them). Every apt-cache call costs a second or two here (no binary cache), so callers ask
 * only when the local cache cannot answer.
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
     * The control fields (Version, Depends, ...) of every version of {@code pkg} apt knows, one map per version, as
     * {@code apt-cache show} prints them; {@code pkg=version} asks for one version. Empty when apt knows none.
     */
    static List<Map<String, String>> show(String pkg) throws IOException {
        return show(List.of(pkg));
    }

    /** {@link #show(String)} of several packages in one apt call; a package apt does not know is left out. */
    static List<Map<String, String>> show(List<String> pkgs) throws IOException {
        List<String> argv = new ArrayList<>(List.of("apt-cache", "show"));
        argv.addAll(pkgs);
        HostCommand.Result r = HostCommand.run(argv, QUERY);
        return stanzas(r.stdout()); // apt-cache fails for an unknown name but still prints the others
    }

    /** Parses deb822 paragraphs; a continuation line (leading blank) belongs to the field above it. */
    static List<Map<String, String>> stanzas(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> fields = new LinkedHashMap<>();
        String last = null;
        for (String line : text.lines().toList()) {
            if (line.isBlank()) {
                if (!fields.isEmpty()) {
                    out.add(fields);
                    fields = new LinkedHashMap<>();
                }
                last = null;
            } else if (Character.isWhitespace(line.charAt(0)) && last != null) {
                fields.merge(last, "\n" + line.strip(), String::concat);
            } else if (line.indexOf(':') > 0) {
                last = line.substring(0, line.indexOf(':'));
                fields.put(last, line.substring(line.indexOf(':') + 1).strip());
            }
        }
        if (!fields.isEmpty()) {
            out.add(fields);
        }
        return out;
    }

    /**
     * Downloads {@code packages} (e.g. {@code dropbear-bin:arm64}, {@code linux-kbuild-6.1:amd64=6.1.192-2}) into
     * {@code dir} in one apt call (each call costs seconds of apt start-up) and returns their files, in the same order.
     * They land in a private folder first, so a crash never leaves a partial {@code .deb} where the cache would trust
     * it.
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
                if (said.contains("Unable to locate") || said.contains("Can't select")
                        || said.contains("has no installation candidate") || said.contains("was not found")) {
                    throw new VmException(VmException.Kind.MISSING, "apt does not know some of " + packages
                            + " (is the arm64 architecture enabled and are the lists current? as root: "
                            + "dpkg --add-architecture arm64 && apt-get update)\n" + r.describe());
                }
                throw new VmException(VmException.Kind.FAILED, "could not download " + packages + ": " + r.describe());
            }
            List<Path> files = new ArrayList<>();
            for (String pkg : packages) {
                String name = packageName(pkg);
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

    /** The bare name in a download spec: {@code linux-kbuild-6.1} of {@code linux-kbuild-6.1:amd64=6.1.192-2}. */
    static String packageName(String spec) {
        int end = spec.length();
        for (char c : new char[] {':', '='}) {
            if (spec.indexOf(c) >= 0) {
                end = Math.min(end, spec.indexOf(c));
            }
        }
        return spec.substring(0, end);
    }
}
