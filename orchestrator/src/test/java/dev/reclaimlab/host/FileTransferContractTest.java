package dev.reclaimlab.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reclaimlab.shell.Sh;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FileTransfer} over each transport. The "remote" side is this machine (LocalTransport, or sshd on 127.0.0.1),
 * so the tests can look at the remote files directly.
 */
abstract class FileTransferContractTest {

    @TempDir
    Path local;
    @TempDir
    Path remoteDir;

    abstract Transport transport();

    /** Where a remote file goes; the directory name needs quoting, so every command must quote it. */
    private Path remote(String name) throws IOException {
        Path dir = remoteDir.resolve("with space 'and quote' $HOME");
        Files.createDirectories(dir);
        return dir.resolve(name);
    }

    @Test
    void roundTripsALargeRandomFile() throws Exception {
        Path original = local.resolve("random.bin");
        writeRandom(original, 50L * 1024 * 1024);
        Path onHost = remote("random.bin");

        TransferResult up = FileTransfer.upload(transport(), original, onHost.toString());
        assertEquals(Files.size(original), up.bytes());
        assertEquals(sha256(original), up.sha256());
        assertEquals(TransferResult.Verification.SHA256, up.verifiedBy());
        assertEquals(-1, Files.mismatch(original, onHost), "uploaded copy differs");
        assertEquals(List.of(onHost), listing(onHost.getParent()), "the .lab-tmp file was moved into place");

        Path back = local.resolve("nested/dir/back.bin");
        TransferResult down = FileTransfer.download(transport(), onHost.toString(), back);
        assertEquals(up, down);
        assertEquals(-1, Files.mismatch(original, back), "downloaded copy differs");
        assertEquals(List.of(back), listing(back.getParent()), "no temporary file left next to the download");
    }

    @Test
    void copiesEveryByteValueAndEmptyFiles() throws Exception {
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) (255 - i % 256);
        }
        for (byte[] content : List.of(all, new byte[0], "no newline at end".getBytes())) {
            Path original = local.resolve("original");
            Files.write(original, content);
            Path onHost = remote("copy");
            FileTransfer.upload(transport(), original, onHost.toString());
            assertArrayEquals(content, Files.readAllBytes(onHost));
            Path back = local.resolve("back");
            TransferResult r = FileTransfer.download(transport(), onHost.toString(), back);
            assertArrayEquals(content, Files.readAllBytes(back));
            assertEquals(content.length, r.bytes());
        }
    }

    @Test
    void replacesAnExistingDestination() throws IOException {
        Path onHost = remote("existing");
        Files.writeString(onHost, "old remote");
        Path original = local.resolve("new");
        Files.writeString(original, "new content");
        FileTransfer.upload(transport(), original, onHost.toString());
        assertEquals("new content", Files.readString(onHost));

        Path existing = local.resolve("existing-local");
        Files.writeString(existing, "old local");
        FileTransfer.download(transport(), onHost.toString(), existing);
        assertEquals("new content", Files.readString(existing));
    }

    @Test
    void aCorruptedDownloadIsDetectedAndLeavesTheDestinationAlone() throws IOException {
        Path onHost = remote("source.bin");
        Files.write(onHost, randomBytes(300_000));
        Path destination = local.resolve("dest.bin");
        Files.writeString(destination, "previous version");

        TransferException e = assertThrows(TransferException.class,
                () -> FileTransfer.download(new ByteFlipping(transport(), 123_456), onHost.toString(), destination));
        String m = e.getMessage();
        assertTrue(m.contains("corrupt"), m);
        assertTrue(m.contains(sha256(onHost)), "names the host's checksum: " + m);
        assertTrue(m.contains("300000 bytes"), m);
        assertEquals("previous version", Files.readString(destination));
        assertEquals(List.of(destination), listing(local), "no temporary file left behind");
    }

    @Test
    void aCorruptedUploadIsDetectedAndLeavesNothingOnTheHost() throws IOException {
        Path original = local.resolve("up.bin");
        Files.write(original, randomBytes(300_000));
        Path onHost = remote("up.bin");

        TransferException e = assertThrows(TransferException.class,
                () -> FileTransfer.upload(new ByteFlipping(transport(), 99_999), original, onHost.toString()));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains(sha256(original)), "names what was sent: " + e.getMessage());
        assertEquals(List.of(), listing(onHost.getParent()), "neither the file nor its .lab-tmp may remain");
    }

    @Test
    void aMissingRemoteFileFailsClearlyAndCreatesNothing() {
        String missing = remoteDir.resolve("does-not-exist").toString();
        Path destination = local.resolve("never");
        TransferException e = assertThrows(TransferException.class,
                () -> FileTransfer.download(transport(), missing, destination));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
        assertTrue(e.getMessage().contains("exit"), e.getMessage());
        assertFalse(Files.exists(destination));
        assertEquals(List.of(), listing(local));
    }

    @Test
    void anUnwritableRemotePathFailsClearly() throws IOException {
        Path original = local.resolve("f");
        Files.writeString(original, "x");
        String target = remoteDir.resolve("no/such/dir/f").toString();
        TransferException e = assertThrows(TransferException.class,
                () -> FileTransfer.upload(transport(), original, target));
        assertTrue(e.getMessage().contains(target), e.getMessage());
    }

    @Test
    void fallsBackToMd5AndThenToSizeWhenTheHostLacksSha256sum() throws Exception {
        Path original = local.resolve("f.bin");
        Files.write(original, randomBytes(70_000));
        Path onHost = remote("f.bin");

        Path md5Only = toolbox("md5-only", "sh", "cat", "wc", "mv", "rm", "md5sum");
        TransferResult up = FileTransfer.upload(new WithPath(transport(), md5Only), original, onHost.toString());
        assertEquals(TransferResult.Verification.MD5, up.verifiedBy());
        assertEquals(sha256(original), up.sha256(), "the local SHA-256 is reported whatever the host verified");
        TransferResult down = FileTransfer.download(new WithPath(transport(), md5Only), onHost.toString(),
                local.resolve("md5.bin"));
        assertEquals(TransferResult.Verification.MD5, down.verifiedBy());

        Path bare = toolbox("bare", "sh", "cat", "wc", "mv", "rm");
        TransferResult sized = FileTransfer.download(new WithPath(transport(), bare), onHost.toString(),
                local.resolve("size.bin"));
        assertEquals(TransferResult.Verification.SIZE_ONLY, sized.verifiedBy());
        assertEquals(-1, Files.mismatch(original, local.resolve("size.bin")));

        // Even by size alone, a copy of the wrong length is caught.
        assertThrows(TransferException.class, () -> FileTransfer.download(
                new WithPath(new ByteFlipping(transport(), -1), bare), onHost.toString(), local.resolve("x")));
    }

    @Test
    void manyFilesComeInOneCommandEachVerifiedAndTheMissingOnesLeftOut() throws Exception {
        Path a = remote("a.bin");
        Files.write(a, randomBytes(200_000));
        Path empty = remote("empty");
        Files.write(empty, new byte[0]);
        Path odd = remote("odd name 'x' $y.txt");
        Files.writeString(odd, "lab-files-0 none\nnot a frame\n");
        List<FileTransfer.Download> wanted = List.of(
                new FileTransfer.Download(a.toString(), local.resolve("out/a.bin")),
                new FileTransfer.Download(remote("missing").toString(), local.resolve("out/missing")),
                new FileTransfer.Download(empty.toString(), local.resolve("out/empty")),
                new FileTransfer.Download(odd.toString(), local.resolve("out/odd.txt")));

        Map<String, TransferResult> arrived = FileTransfer.downloadAll(transport(), wanted, Duration.ofMinutes(1));

        assertEquals(List.of(a.toString(), empty.toString(), odd.toString()), List.copyOf(arrived.keySet()));
        assertEquals(-1, Files.mismatch(a, local.resolve("out/a.bin")));
        assertEquals(0, Files.size(local.resolve("out/empty")));
        assertEquals(Files.readString(odd), Files.readString(local.resolve("out/odd.txt")));
        assertEquals(sha256(a), arrived.get(a.toString()).sha256());
        assertEquals(TransferResult.Verification.SHA256, arrived.get(a.toString()).verifiedBy());
        assertEquals(3, listing(local.resolve("out")).size(), "no temporary files, no file for the missing one");

        Path bare = toolbox("bare-batch", "sh", "cat", "wc", "tr", "md5sum");
        Map<String, TransferResult> viaCat = FileTransfer.downloadAll(new WithPath(transport(), bare),
                wanted.subList(0, 1), Duration.ofMinutes(1));
        assertEquals(TransferResult.Verification.MD5, viaCat.get(a.toString()).verifiedBy(), "no head, no sha256sum");
        assertEquals(-1, Files.mismatch(a, local.resolve("out/a.bin")));
    }

    @Test
    void aCorruptedFileInABatchStopsItThereAndLeavesNoPartialFile() throws Exception {
        Path first = remote("first.bin");
        Files.write(first, randomBytes(1_000));
        Path second = remote("second.bin");
        Files.write(second, randomBytes(100_000));
        List<FileTransfer.Download> wanted = List.of(
                new FileTransfer.Download(first.toString(), local.resolve("b/first.bin")),
                new FileTransfer.Download(second.toString(), local.resolve("b/second.bin")),
                new FileTransfer.Download(first.toString(), local.resolve("b/third.bin")));

        TransferException e = assertThrows(TransferException.class, () -> FileTransfer.downloadAll(
                new ByteFlipping(transport(), 50_000), wanted, Duration.ofMinutes(1)));

        assertTrue(e.getMessage().contains("corrupt") && e.getMessage().contains(sha256(second)), e.getMessage());
        assertEquals(List.of(local.resolve("b/first.bin")), listing(local.resolve("b")),
                "the file before the broken one is in place, nothing else");
    }

    /** A directory with symlinks to just these tools, to play a host that lacks the others. */
    private Path toolbox(String name, String... tools) throws IOException {
        Path dir = local.resolveSibling(local.getFileName() + "-" + name);
        Files.createDirectories(dir);
        for (String tool : tools) {
            Path real = Stream.of("/usr/bin/", "/bin/").map(p -> Path.of(p + tool)).filter(Files::exists)
                    .findFirst().orElseThrow(() -> new AssertionError("no " + tool + " on this machine"));
            Files.createSymbolicLink(dir.resolve(tool), real);
        }
        return dir;
    }

    static List<Path> listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void writeRandom(Path file, long size) throws IOException {
        Random random = new Random(size);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < size; written += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
            }
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Runs every command with PATH set to one directory, so the host seems to lack every other tool. */
    private record WithPath(Transport delegate, Path path) implements Transport {
        private String wrap(String command) {
            return "PATH=" + Sh.quote(path.toString()) + "; export PATH; " + command;
        }

        @Override
        public String hostName() {
            return delegate.hostName();
        }

        @Override
        public ExecResult exec(String command, Duration timeout, OutputListener listener) throws IOException {
            return delegate.exec(wrap(command), timeout, listener);
        }

        @Override
        public ExecResult execToStream(String command, OutputStream stdout, Duration timeout) throws IOException {
            return delegate.execToStream(wrap(command), stdout, timeout);
        }

        @Override
        public ExecResult execFromStream(String command, InputStream stdin, Duration timeout) throws IOException {
            return delegate.execFromStream(wrap(command), stdin, timeout);
        }

        @Override
        public void close() {}
    }

    /**
     * Damages the data of streamed commands: flips the byte at {@code offset}, or with offset -1 drops the last
     * byte, as a broken link or a file changing mid-copy would.
     */
    private record ByteFlipping(Transport delegate, long offset) implements Transport {
        @Override
        public String hostName() {
            return delegate.hostName();
        }

        @Override
        public ExecResult exec(String command, Duration timeout, OutputListener listener) throws IOException {
            return delegate.exec(command, timeout, listener);
        }

        @Override
        public ExecResult execToStream(String command, OutputStream stdout, Duration timeout) throws IOException {
            if (offset < 0) {
                TruncatingOutput out = new TruncatingOutput(stdout);
                ExecResult r = delegate.execToStream(command, out, timeout);
                return r;
            }
            return delegate.execToStream(command, new FilterOutputStream(stdout) {
                long position;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
                    if (offset >= position && offset < position + len) {
                        copy[(int) (offset - position)] ^= 0x01;
                    }
                    position += len;
                    out.write(copy);
                }
            }, timeout);
        }

        @Override
        public ExecResult execFromStream(String command, InputStream stdin, Duration timeout) throws IOException {
            return delegate.execFromStream(command, new FilterInputStream(stdin) {
                long position;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = in.read(b, off, len);
                    if (n > 0 && offset >= position && offset < position + n) {
                        b[off + (int) (offset - position)] ^= 0x01;
                    }
                    position += Math.max(n, 0);
                    return n;
                }
            }, timeout);
        }

        @Override
        public void close() {}
    }

    /** Holds back the last byte it is given. */
    private static final class TruncatingOutput extends FilterOutputStream {
        private int held = -1;

        TruncatingOutput(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) {
                if (held >= 0) {
                    out.write(held);
                }
                held = b[i] & 0xff;
            }
        }
    }
}
