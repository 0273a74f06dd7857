package dev.reclaimlab.vm;

import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's kernel headers for one arm64 release, unpacked in the cache so that this machine can build modules for a
 * guest running that kernel: {@code make -C dir() M=MODULE ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- modules}.
 *
 * @param root      {@code cache/arm64/headers/RELEASE}: the packages' {@code usr/} tree and {@code headers.txt}
 * @param release   what {@code uname -r} prints in the guest, e.g. {@code 6.1.0-56-arm64}
 * @param version   the Debian version of the headers, e.g. {@code 6.1.192-2}
 * @param compiler  the C compiler the kernel was built with, which the headers' Makefile calls, e.g.
 *                  {@code aarch64-linux-gnu-gcc-12}
 */
public record KernelBuildTree(Path root, String release, String version, String compiler) {
    /** The prefix of the cross tools (gcc, ld, nm) for arm64 on Debian. */
    public static final String CROSS_COMPILE = "aarch64-linux-gnu-";
    static final String RECORD = "headers.txt";

    /** An absolute {@code include /usr/src/...}: Debian's headers expect to be installed there. */
    private static final Pattern ABSOLUTE_INCLUDE =
            Pattern.compile("^(\\s*-?include\\s+)/usr/src/", Pattern.MULTILINE);
    /** {@code CC = $(if ...) $(CROSS_COMPILE)gcc-12} in Debian's {@code .kernelvariables}. */
    private static final Pattern CC =
            Pattern.compile("^CC\\s*:?=.*\\$\\(CROSS_COMPILE\\)(\\S+)\\s*$", Pattern.MULTILINE);

    /** The folder to run make in: {@code usr/src/linux-headers-RELEASE}. */
    public Path dir() {
        return root.resolve("usr/src/linux-headers-" + release);
    }

    /**
     * Whether make runs pahole: Debian ships {@code vmlinux} in the headers (from 6.12 on) only so that modules get
     * BTF type information, which pahole writes; without {@code vmlinux} kbuild skips that step.
     */
    public boolean needsPahole() {
        return Files.isRegularFile(dir().resolve("vmlinux"));
    }

    /** Headers prepared earlier, if {@code root} holds a complete set (the record is written last). */
    static Optional<KernelBuildTree> load(Path root) throws IOException {
        Path record = root.resolve(RECORD);
        if (!Files.isRegularFile(record)) {
            return Optional.empty();
        }
        String release = "", version = "", compiler = "";
        for (String line : Files.readAllLines(record)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                switch (line.substring(0, eq)) {
                    case "release" -> release = line.substring(eq + 1);
                    case "version" -> version = line.substring(eq + 1);
                    case "compiler" -> compiler = line.substring(eq + 1);
                    default -> { }
                }
            }
        }
        KernelBuildTree tree = new KernelBuildTree(root, release, version, compiler);
        return Files.isRegularFile(tree.dir().resolve("Makefile")) && !compiler.isEmpty()
                ? Optional.of(tree) : Optional.empty();
    }

    void writeRecord(String packages) throws IOException {
        Trees.write(root.resolve(RECORD), ("release=" + release + "\nversion=" + version + "\ncompiler=" + compiler
                + "\npackages=" + packages + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The arm64 headers' Makefile with its absolute {@code include /usr/src/linux-headers-ABI-common/Makefile} made
     * relative to the Makefile's own folder, so the headers work wherever the cache is (even after LAB_HOME moves).
     * Kbuild computes its source tree from the path of the Makefile it includes, so that path must be a real one.
     */
    static String relocate(String makefile) {
        return ABSOLUTE_INCLUDE.matcher(makefile)
                .replaceAll("$1" + Matcher.quoteReplacement("$(dir $(lastword $(MAKEFILE_LIST)))../"));
    }

    /** Whether {@code makefile} still points outside its own tree (a Debian packaging change lab does not know). */
    static boolean pointsOutside(String makefile) {
        return makefile.lines().anyMatch(l -> l.strip().matches("-?include\\s+/.*"));
    }

    /** The compiler {@code .kernelvariables} names after the cross prefix ({@code gcc-12}); {@code gcc} if none. */
    static String compilerOf(String kernelVariables) {
        Matcher m = CC.matcher(kernelVariables);
        return CROSS_COMPILE + (m.find() ? m.group(1) : "gcc");
    }
}
