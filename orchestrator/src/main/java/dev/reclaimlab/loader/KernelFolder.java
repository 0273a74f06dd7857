package dev.reclaimlab.loader;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A kernel given as a folder on the orchestrator (a build of one's own tree, a kernel a CI job produced): its image
 * ({@code vmlinuz}, {@code Image} or {@code Image.gz}), optionally its initrd ({@code initrd.img}, {@code initrd},
 * {@code initramfs.img}), and its release, from a {@code release} file or else from the image's own
 * {@code Linux version} banner. The boot method installs it under that release for the boot and removes it after.
 */
record KernelFolder(Path dir, Path image, Optional<Path> initrd, String release) {
    private static final List<String> IMAGES = List.of("vmlinuz", "Image", "Image.gz", "bzImage");
    private static final List<String> INITRDS = List.of("initrd.img", "initrd", "initramfs.img");
    /** A release as uname -r prints it, which also names files in /boot. */
    static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}");
    private static final Pattern BANNER = Pattern.compile("Linux version (\\S+) \\(");
    /** The banner sits in the first part of the image's read-only data; a bound keeps a wrong file from being read whole. */
    private static final long MAX_SCAN = 256L << 20;

    /** The folder {@code kernel} names, if it names a folder on this machine; empty for a release or a package. */
    static Optional<Path> folderOf(String kernel) {
        if (!kernel.contains("/")) {
            return Optional.empty();
        }
        Path dir = Path.of(kernel).toAbsolutePath().normalize();
        return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
    }

    /** Reads the folder; the message of the exception says what it lacks. */
    static KernelFolder read(Path dir) throws IOException {
        Path image = first(dir, IMAGES).orElseThrow(() -> new IOException(dir + " has no kernel image (one of "
                + String.join(", ", IMAGES) + ")"));
        Optional<Path> initrd = first(dir, INITRDS);
        Path releaseFile = dir.resolve("release");
        String release = Files.isRegularFile(releaseFile) ? Files.readString(releaseFile).strip()
                : banner(image).orElseThrow(() -> new IOException("cannot tell the release of " + image + ": no "
                        + "'Linux version' banner in it (a compressed image other than gzip?); write it into "
                        + releaseFile));
        if (!RELEASE.matcher(release).matches()) {
            throw new IOException("not a kernel release lab can name files with: \"" + release + "\" (" + dir + ")");
        }
        return new KernelFolder(dir, image, initrd, release);
    }

    private static Optional<Path> first(Path dir, List<String> names) {
        return names.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst();
    }

    /** The release in the image's {@code Linux version R (...)} banner, read through gzip where the image is gzip. */
    static Optional<String> banner(Path image) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(image))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            byte[] buffer = new byte[1 << 20];
            String carry = "";
            long read = 0;
            for (int n; read < MAX_SCAN && (n = in.readNBytes(buffer, 0, buffer.length)) > 0; read += n) {
                // ISO-8859-1 maps every byte to one char, so a banner split between two reads is found in carry + text
                String text = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                Matcher m = BANNER.matcher(text);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
                carry = text.substring(Math.max(0, text.length() - 200));
            }
            return Optional.empty();
        }
    }
}
