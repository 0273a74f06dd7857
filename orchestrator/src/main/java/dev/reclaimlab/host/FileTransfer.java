package dev.reclaimlab.host;

import dev.reclaimlab.shell.Sh;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Copies files to and from a host over plain exec channels ({@code cat}), because SFTP and scp may be missing (dropbear
 * with busybox). Streams in bounded memory, so multi-gigabyte traces are fine, and is binary-safe.
 *
 * <p>Every copy is verified before it becomes visible under its final name: the bytes are written to a temporary file
 * next to the destination, the host is asked for the size and checksum of its side, and only if both match is the
 * temporary file renamed into place (a rename within one directory is atomic). A crash, a timeout or a mismatch
 * therefore never leaves a half-written file under the final name.
 *
 * <p>The host checks with {@code sha256sum}, else {@code md5sum}, else size only; the result says which
 * ({@link TransferResult.Verification}). All three exist in busybox and coreutils.
 */
public final class FileTransfer {

    /** Default time limit for one copy and for each checksum run; generous because traces can be gigabytes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofHours(1);
    /** Suffix of the temporary file an upload writes before it is verified and moved into place. */
    public static final String UPLOAD_SUFFIX = ".lab-tmp";

    private static final Duration SMALL_COMMAND_TIMEOUT = Duration.ofMinutes(2);
    private static final int BUFFER = 256 * 1024;

    /**
     * Prints the file's size, then which checksum follows ({@code sha256}, {@code md5} or {@code size}), then the
     * checksum line. Reads through redirections so a path starting with '-' is never taken for an option.
     */
    private static final String CHECKSUM_SCRIPT = String.join("\n",
            "f=$1",
            "wc -c < \"$f\" || exit 1",
            "if command -v sha256sum >/dev/null 2>&1; then echo sha256; sha256sum < \"$f\" || exit 1",
            "elif command -v md5sum >/dev/null 2>&1; then echo md5; md5sum < \"$f\" || exit 1",
            "else echo size; fi");

    /**
     * Sends many files in one stream, each framed: "T file N", N bytes, "T sum KIND CHECKSUM"; or "T none" for a file
     * that is not there (or not readable). $1 is the random token T, the rest are the paths. {@code head -c} stops at
     * the size announced, so a file that grows meanwhile cannot break the framing (one that shrinks does, and fails
     * the batch); a busybox without it falls back to cat.
     */
    private static final String BATCH_SCRIPT = String.join("\n",
            "t=$1; shift",
            "if command -v sha256sum >/dev/null 2>&1; then k=sha256; elif command -v md5sum >/dev/null 2>&1; then k=md5;"
                    + " else k=size; fi",
            "if head -c 0 </dev/null >/dev/null 2>&1; then h=head; else h=; fi",
            "for f in \"$@\"; do",
            "  if [ -f \"$f\" ] && [ -r \"$f\" ] && n=$(wc -c < \"$f\" | tr -d ' '); then",
            "    printf '%s file %s\\n' \"$t\" \"$n\"",
            "    if [ -n \"$h\" ]; then head -c \"$n\" < \"$f\"; else cat < \"$f\"; fi",
            "    case $k in sha256) s=$(sha256sum < \"$f\");; md5) s=$(md5sum < \"$f\");; *) s=-;; esac",
            "    printf '%s sum %s %s\\n' \"$t\" \"$k\" \"${s%% *}\"",
            "  else printf '%s none\\n' \"$t\"; fi",
            "done");

    private FileTransfer() {}

    /** A file to copy from a host, and where it goes here. */
    public record Download(String remotePath, Path localPath) {}

    /**
     * Copies {@code files} from the host in one command: one round trip for all of them rather than two per file,
     * which is what a slow link to the lab makes count. Each file is verified and moved into place as
     * {@link #download} does; a file the host does not have is left out of the result.
     *
     * @return what arrived, by remote path
     * @throws TransferException if the host could not send them, or what arrived differs from what it has; files
     *                           before the one that failed are in place, none after it
     */
    public static Map<String, TransferResult> downloadAll(Transport transport, List<Download> files,
                                                                    Duration timeout) throws IOException {
        if (files.isEmpty()) {
            return Map.of();
        }
        String token = "lab-files-" + Long.toHexString(new SecureRandom().nextLong());
        List<String> words = new ArrayList<>(
                List.of("sh", "-c", BATCH_SCRIPT, "lab-download", token));
        files.forEach(f -> words.add(f.remotePath()));
        Batch batch = new Batch(transport.hostName(), token, files);
        try {
            ExecResult result = transport.execToStream(Sh.command(words), batch, timeout);
            requireOk("download of " + files.size() + " files from " + transport.hostName(), "sending them", result);
            batch.finish();
            return batch.arrived;
        } finally {
            batch.abandon();
        }
    }

    /** {@link #download(Transport, String, Path, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static TransferResult download(Transport transport, String remotePath, Path localPath) throws IOException {
        return download(transport, remotePath, localPath, DEFAULT_TIMEOUT);
    }

    /**
     * Copies {@code remotePath} on the host to {@code localPath}, replacing it if it exists; creates missing parent
     * directories.
     *
     * @throws TransferException if the host could not read the file, the copy timed out, or what arrived differs from
     *                           what the host has; {@code localPath} is then untouched
     */
    public static TransferResult download(Transport transport, String remotePath, Path localPath, Duration timeout)
            throws IOException {
        Path target = localPath.toAbsolutePath();
        String what = "download of " + transport.hostName() + ":" + remotePath + " to " + target;
        Files.createDirectories(target.getParent());
        Path temp = createPartFile(target);
        boolean done = false;
        try {
            Digests local = new Digests();
            ExecResult copy;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = new BufferedOutputStream(local.counting(Channels.newOutputStream(channel)), BUFFER);
                copy = transport.execToStream("cat < " + Sh.quote(remotePath), out, timeout);
                out.flush();
                channel.force(true); // the rename below must not publish a file whose bytes are still in flight
            }
            requireOk(what, "copying", copy);
            Remote remote = remoteChecksum(transport, remotePath, timeout, what);
            TransferResult result = compare(what, local, remote, "received", "nothing was written to " + target);
            moveIntoPlace(temp, target);
            done = true;
            return result;
        } finally {
            if (!done) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** {@link #upload(Transport, Path, String, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public static TransferResult upload(Transport transport, Path localPath, String remotePath) throws IOException {
        return upload(transport, localPath, remotePath, DEFAULT_TIMEOUT);
    }

    /**
     * Copies {@code localPath} to {@code remotePath} on the host, replacing it if it exists. The bytes go to
     * {@code remotePath + ".lab-tmp"} first and are moved into place only after the host has confirmed size and
     * checksum; the remote parent directory must exist. The file gets the remote user's default permissions (umask),
     * so {@code chmod} it afterwards if it must be executable.
     *
     * @throws TransferException if the host could not write the file, the copy timed out, or what arrived differs from
     *                           what was sent; {@code remotePath} is then untouched and the temporary file removed
     */
    public static TransferResult upload(Transport transport, Path localPath, String remotePath, Duration timeout)
            throws IOException {
        String what = "upload of " + localPath + " to " + transport.hostName() + ":" + remotePath;
        String temp = remotePath + UPLOAD_SUFFIX;
        // Opened first, so a missing local file fails before anything is done on the host.
        InputStream file = Files.newInputStream(localPath);
        boolean done = false;
        try {
            Digests local = new Digests();
            ExecResult copy;
            try (InputStream in = local.counting(new BufferedInputStream(file, BUFFER))) {
                copy = transport.execFromStream("cat > " + Sh.quote(temp), in, timeout);
            }
            requireOk(what, "copying", copy);
            Remote remote = remoteChecksum(transport, temp, timeout, what);
            TransferResult result = compare(what, local, remote, "sent", remotePath + " was left as it was");
            ExecResult move = transport.exec(Sh.command("mv", "-f", operand(temp), operand(remotePath)),
                    SMALL_COMMAND_TIMEOUT);
            requireOk(what, "moving it into place", move);
            done = true;
            return result;
        } finally {
            if (!done) {
                removeQuietly(transport, temp);
            }
        }
    }

    private record Remote(long bytes, TransferResult.Verification kind, String checksum) {}

    private static Remote remoteChecksum(Transport transport, String path, Duration timeout, String what)
            throws IOException {
        ExecResult r = transport.exec("sh -c " + Sh.quote(CHECKSUM_SCRIPT) + " lab-checksum " + Sh.quote(path),
                timeout);
        requireOk(what, "checksumming it on the host", r);
        String[] lines = r.stdout().trim().split("\\s*\n\\s*");
        try {
            long bytes = Long.parseLong(lines[0].trim());
            return switch (lines[1].trim()) {
                case "sha256" -> new Remote(bytes, TransferResult.Verification.SHA256, firstWord(lines[2]));
                case "md5" -> new Remote(bytes, TransferResult.Verification.MD5, firstWord(lines[2]));
                case "size" -> new Remote(bytes, TransferResult.Verification.SIZE_ONLY, "");
                default -> throw new IllegalArgumentException(lines[1]);
            };
        } catch (RuntimeException e) {
            throw new TransferException(what + ": cannot understand the host's size/checksum output: "
                    + r.stdout().strip());
        }
    }

    private static TransferResult compare(String what, Digests local, Remote remote, String verb, String consequence)
            throws TransferException {
        String localSum = switch (remote.kind()) {
            case SHA256 -> local.sha256();
            case MD5 -> local.md5();
            case SIZE_ONLY -> "";
        };
        if (local.bytes() != remote.bytes() || !localSum.equals(remote.checksum())) {
            String algorithm = remote.kind().name().toLowerCase(Locale.ROOT);
            String sums = remote.kind() == TransferResult.Verification.SIZE_ONLY ? ""
                    : " " + algorithm + " " + localSum;
            String remoteSums = remote.kind() == TransferResult.Verification.SIZE_ONLY ? ""
                    : " " + algorithm + " " + remote.checksum();
            throw new TransferException(what + " is corrupt: " + verb + " " + local.bytes() + " bytes" + sums
                    + ", but the host has " + remote.bytes() + " bytes" + remoteSums
                    + " (did the file change during the copy?); " + consequence);
        }
        return new TransferResult(local.bytes(), local.sha256(), remote.kind());
    }

    private static void requireOk(String what, String doing, ExecResult r) throws TransferException {
        if (r.ok()) {
            return;
        }
        String detail = r.stderr().strip();
        int lastLine = detail.lastIndexOf('\n');
        if (lastLine >= 0) {
            detail = detail.substring(lastLine + 1);
        }
        throw new TransferException(what + " failed while " + doing + ": " + r.outcome()
                + (detail.isEmpty() ? "" : " (" + detail + ")"));
    }

    /**
     * A new, empty file next to {@code target}, hidden (leading dot) and clearly temporary. Made with createFile
     * rather than createTempFile so it gets the usual umask permissions instead of owner-only.
     */
    private static Path createPartFile(Path target) throws IOException {
        for (int attempt = 0; ; attempt++) {
            String random = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
            Path candidate = target.resolveSibling("." + target.getFileName() + "." + random + ".lab-part");
            try {
                return Files.createFile(candidate);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt > 10) {
                    throw e;
                }
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Same directory, so this only happens on exotic file systems; a plain replace is the best they offer.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void removeQuietly(Transport transport, String remoteTemp) {
        try {
            transport.exec(Sh.command("rm", "-f", operand(remoteTemp)), SMALL_COMMAND_TIMEOUT);
        } catch (IOException | RuntimeException ignored) {
            // the transport is gone; the next upload to this path overwrites the leftover anyway
        }
    }

    /** A path as a command operand: a leading '-' would be read as an option, so relative paths get "./". */
    private static String operand(String path) {
        return path.startsWith("-") ? "./" + path : path;
    }

    private static String firstWord(String line) {
        return line.trim().split("\\s+")[0].toLowerCase(Locale.ROOT);
    }

    /** Takes the framed stream of {@link #BATCH_SCRIPT} apart into verified files; see {@link #downloadAll}. */
    private static final class Batch extends OutputStream {
        private final String host;
        private final byte[] prefix;
        private final List<Download> files;
        private final Map<String, TransferResult> arrived = new LinkedHashMap<>();
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private int index;
        private long remaining = -1; // bytes of the current file still to come; -1 while a frame line is read
        private Path temp;
        private OutputStream out;
        private FileChannel channel;
        private Digests digests;
        private long expected; // the current file's size as the host announced it

        Batch(String host, String token, List<Download> files) {
            this.host = host;
            this.prefix = (token + " ").getBytes(StandardCharsets.US_ASCII);
            this.files = files;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int end = off + len;
            while (off < end) {
                if (remaining > 0) {
                    int n = (int) Math.min(remaining, end - off);
                    out.write(b, off, n);
                    remaining -= n;
                    off += n;
                    continue;
                }
                byte c = b[off++];
                if (c != '\n') {
                    if (line.size() > 1024) {
                        throw broken("a frame line longer than 1024 bytes");
                    }
                    line.write(c);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                frame(text);
            }
        }

        private void frame(String text) throws IOException {
            String token = new String(prefix, StandardCharsets.US_ASCII);
            if (!text.startsWith(token) || index >= files.size()) {
                throw broken("unexpected \"" + text + "\"");
            }
            String[] words = text.substring(token.length()).split(" ");
            Download file = files.get(index);
            if (words[0].equals("none") && temp == null) {
                index++;
            } else if (words[0].equals("file") && words.length == 2 && words[1].matches("\\d{1,18}") && temp == null) {
                Path target = file.localPath().toAbsolutePath();
                Files.createDirectories(target.getParent());
                temp = createPartFile(target);
                channel = FileChannel.open(temp, StandardOpenOption.WRITE);
                digests = new Digests();
                out = new BufferedOutputStream(digests.counting(Channels.newOutputStream(channel)), BUFFER);
                remaining = Long.parseLong(words[1]);
                if (remaining == 0) {
                    remaining = -1;
                }
                expected = Long.parseLong(words[1]);
            } else if (words[0].equals("sum") && words.length == 3 && temp != null) {
                out.flush();
                channel.force(true);
                channel.close();
                TransferResult.Verification kind = switch (words[1]) {
                    case "sha256" -> TransferResult.Verification.SHA256;
                    case "md5" -> TransferResult.Verification.MD5;
                    default -> TransferResult.Verification.SIZE_ONLY;
                };
                String what = "download of " + host + ":" + file.remotePath() + " to " + file.localPath();
                TransferResult result = compare(what, digests, new Remote(expected, kind,
                        kind == TransferResult.Verification.SIZE_ONLY ? "" : words[2].toLowerCase(Locale.ROOT)),
                        "received", "nothing was written to " + file.localPath());
                moveIntoPlace(temp, file.localPath().toAbsolutePath());
                temp = null;
                arrived.put(file.remotePath(), result);
                index++;
            } else {
                throw broken("unexpected \"" + text + "\"");
            }
        }

        private TransferException broken(String what) {
            return new TransferException("download of " + files.size() + " files from " + host + ": the host's"
                    + " stream broke off at file " + (index + 1) + " (" + what + "); did a file shrink during the copy?");
        }

        /** After the command ended well: every file must have been accounted for. */
        void finish() throws TransferException {
            if (index != files.size() || temp != null || line.size() > 0) {
                throw broken("it ended early");
            }
        }

        /** Removes a half-received file. */
        void abandon() throws IOException {
            if (temp != null) {
                try {
                    channel.close();
                } finally {
                    Files.deleteIfExists(temp);
                    temp = null;
                }
            }
        }
    }

    /** SHA-256, MD5 and byte count of everything that passes through one stream. */
    private static final class Digests {
        private final MessageDigest sha256 = digest("SHA-256");
        private final MessageDigest md5 = digest("MD5");
        private long bytes;

        private void update(byte[] b, int off, int len) {
            sha256.update(b, off, len);
            md5.update(b, off, len);
            bytes += len;
        }

        long bytes() {
            return bytes;
        }

        String sha256() {
            return HexFormat.of().formatHex(clone(sha256).digest());
        }

        String md5() {
            return HexFormat.of().formatHex(clone(md5).digest());
        }

        OutputStream counting(OutputStream out) {
            return new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    update(b, off, len);
                }
            };
        }

        InputStream counting(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0) {
                        update(b, off, n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) {
                    return 0; // every byte must pass through the digests
                }
            };
        }

        private static MessageDigest digest(String algorithm) {
            try {
                return MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JDK has " + algorithm, e);
            }
        }

        private static MessageDigest clone(MessageDigest d) {
            try {
                return (MessageDigest) d.clone();
            } catch (CloneNotSupportedException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
