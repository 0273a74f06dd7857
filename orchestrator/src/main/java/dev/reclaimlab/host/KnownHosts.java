package dev.reclaimlab.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An OpenSSH known_hosts file, read for lookups and appended to for {@link HostKeyPolicy#ACCEPT_NEW}.
 *
 * <p>Written here rather than taken from sshj's {@code OpenSSHKnownHosts} because refusing a changed key usefully needs
 * what that class does not expose: the line number to remove and the fingerprint that was expected. Supported: plain,
 * wildcard ({@code *}, {@code ?}), negated ({@code !}) and hashed ({@code |1|}) host patterns, {@code [host]:port} for
 * non-22 ports, and the {@code @revoked} marker. {@code @cert-authority} lines are skipped: we do not do host
 * certificates.
 */
final class KnownHosts {

    /** One key line of the file. */
    record Entry(int line, boolean revoked, String keyType, byte[] keyBlob) {
        String fingerprint() {
            return KnownHosts.fingerprint(keyBlob);
        }
    }

    private final Path file;

    KnownHosts(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * The name a host has in known_hosts: {@code host} on port 22, {@code [host]:port} otherwise (OpenSSH's rule),
     * lower-cased as OpenSSH compares names.
     */
    static String hostKey(String host, int port) {
        String h = host.toLowerCase(Locale.ROOT);
        return port == 22 ? h : "[" + h + "]:" + port;
    }

    /** Every entry that applies to {@code host} on {@code port}, in file order; empty if the file does not exist. */
    List<Entry> entriesFor(String host, int port) throws IOException {
        List<Entry> found = new ArrayList<>();
        if (!Files.exists(file)) {
            return found;
        }
        String name = hostKey(host, port);
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String[] fields = lines.get(i).trim().split("\\s+");
            if (fields.length == 0 || fields[0].isEmpty() || fields[0].startsWith("#")) {
                continue;
            }
            int f = 0;
            boolean revoked = false;
            if (fields[0].startsWith("@")) {
                if (!fields[0].equals("@revoked")) {
                    continue; // @cert-authority
                }
                revoked = true;
                f = 1;
            }
            if (fields.length < f + 3 || !matches(fields[f], name)) {
                continue;
            }
            byte[] blob;
            try {
                blob = Base64.getDecoder().decode(fields[f + 2]);
            } catch (IllegalArgumentException e) {
                continue; // a damaged line cannot vouch for any key
            }
            found.add(new Entry(i + 1, revoked, fields[f + 1], blob));
        }
        return found;
    }

    /** Appends a line for the host's key, creating the file (and ~/.ssh) if needed, as OpenSSH does. */
    void add(String host, int port, String keyType, byte[] keyBlob) throws IOException {
        String line = hostKey(host, port) + " " + keyType + " " + Base64.getEncoder().encodeToString(keyBlob) + "\n";
        synchronized (KnownHosts.class) { // two hosts accepted at once in one JVM must not interleave their lines
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.exists(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            boolean needsNewline = Files.exists(file) && Files.size(file) > 0 && !endsWithNewline(file);
            Files.writeString(file, needsNewline ? "\n" + line : line, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        }
    }

    /** OpenSSH's fingerprint form: {@code SHA256:} and unpadded base64 of the key blob's SHA-256. */
    static String fingerprint(byte[] keyBlob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyBlob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** OpenSSH pattern-list semantics: any matching negated pattern rejects, else any matching pattern accepts. */
    static boolean matches(String patternList, String name) {
        boolean accepted = false;
        for (String pattern : patternList.split(",")) {
            boolean negated = pattern.startsWith("!");
            String p = negated ? pattern.substring(1) : pattern;
            if (matchesOne(p, name)) {
                if (negated) {
                    return false;
                }
                accepted = true;
            }
        }
        return accepted;
    }

    private static boolean matchesOne(String pattern, String name) {
        if (pattern.startsWith("|1|")) {
            return matchesHashed(pattern, name);
        }
        return wildcard(pattern.toLowerCase(Locale.ROOT), 0, name, 0);
    }

    /** {@code |1|salt|hash}: HMAC-SHA1 of the host name keyed with salt, as {@code HashKnownHosts} writes it. */
    private static boolean matchesHashed(String pattern, String name) {
        String[] parts = pattern.split("\\|");
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean wildcard(String pattern, int p, String name, int n) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int k = n; k <= name.length(); k++) {
                    if (wildcard(pattern, p + 1, name, k)) {
                        return true;
                    }
                }
                return false;
            }
            if (n >= name.length() || (c != '?' && c != name.charAt(n))) {
                return false;
            }
            p++;
            n++;
        }
        return n == name.length();
    }

    private static boolean endsWithNewline(Path path) throws IOException {
        try (var channel = Files.newByteChannel(path)) {
            channel.position(channel.size() - 1);
            var last = java.nio.ByteBuffer.allocate(1);
            channel.read(last);
            return last.get(0) == '\n';
        }
    }

    static boolean sameKey(Entry entry, byte[] keyBlob) {
        return Arrays.equals(entry.keyBlob(), keyBlob);
    }
}
