package dev.reclaimlab.kmod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A kernel module's rendered source, ready to build: the files of one out-of-tree module folder (the C file and
 * {@code Kbuild}), by name. It is a value: the same template, kernel and settings give an equal source, and
 * {@link #checksum(String)} names the build in caches.
 *
 * @param name    the module's name as {@code lsmod} shows it (and the {@code .ko} file's stem), a C identifier
 * @param kernel  the {@code uname -r} the source was rendered for
 * @param files   file name to content; names are plain (no folders)
 */
public record ModuleSource(String name, String kernel, Map<String, String> files) {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,55}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    public ModuleSource {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a module name: " + name);
        }
        for (String file : files.keySet()) {
            if (!FILE.matcher(file).matches()) {
                throw new IllegalArgumentException("not a plain file name: " + file);
            }
        }
        files = Collections.unmodifiableMap(new TreeMap<>(files));
    }

    /** The module file a build produces, e.g. {@code lab_reclaim_stress.ko}. */
    public String koName() {
        return name + ".ko";
    }

    /**
     * SHA-256 over the module name, every file (name and content, in name order) and {@code buildFor} (the kernel
     * release and anything else that changes the binary, such as the toolchain): a cache key for the built module.
     */
    public String checksum(String buildFor) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            update(sha, name);
            update(sha, kernel);
            update(sha, buildFor);
            for (Map.Entry<String, String> e : files.entrySet()) {
                update(sha, e.getKey());
                update(sha, e.getValue());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    // Length-prefixed, so ("ab","c") and ("a","bc") never collide.
    private static void update(MessageDigest sha, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(bytes);
    }
}
