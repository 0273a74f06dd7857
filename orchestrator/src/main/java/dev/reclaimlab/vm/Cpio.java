package dev.reclaimlab.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip-compressed cpio archive in the "newc" format, which is what the kernel unpacks as an initramfs. Written
 * here rather than by the cpio tool so that device nodes ({@code /dev/console}) and root ownership need no root, and
 * every entry's mode is exactly what the guest needs. Parent folders are added automatically (the kernel does not
 * create them), and every entry is owned by root with mtime 0, so the same input always gives the same archive.
 *
 * <p>The kernel accepts several such archives one after the other in one initrd; lab uses that to layer the shared
 * userland, one kernel's modules and one VM's keys.
 */
final class Cpio implements AutoCloseable {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFCHR = 0020000;

    private final OutputStream out;
    private final Set<String> dirs = new HashSet<>();
    private long offset;
    private int ino = 1;
    private boolean closed;

    private Cpio(OutputStream target) throws IOException {
        this.out = new GZIPOutputStream(target, 64 * 1024);
    }

    /** An archive written, gzip-compressed, to {@code target}; {@link #close()} finishes it (and closes target). */
    static Cpio gzip(OutputStream target) throws IOException {
        return new Cpio(target);
    }

    /** A folder; {@code path} is absolute, like {@code /etc/lab}. */
    Cpio dir(String path, int mode) throws IOException {
        String name = relative(path);
        if (dirs.contains(name)) {
            return this;
        }
        parents(name);
        dirs.add(name);
        entry(name, S_IFDIR | mode, 0, 0, new byte[0], 2);
        return this;
    }

    Cpio file(String path, int mode, byte[] bytes) throws IOException {
        String name = relative(path);
        parents(name);
        entry(name, S_IFREG | mode, 0, 0, bytes, 1);
        return this;
    }

    Cpio symlink(String path, String target) throws IOException {
        String name = relative(path);
        parents(name);
        entry(name, S_IFLNK | 0777, 0, 0, target.getBytes(StandardCharsets.UTF_8), 1);
        return this;
    }

    /** A character device node such as {@code /dev/console} (5, 1). */
    Cpio charDevice(String path, int mode, int major, int minor) throws IOException {
        String name = relative(path);
        parents(name);
        entry(name, S_IFCHR | mode, major, minor, new byte[0], 1);
        return this;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        entry("TRAILER!!!", 0, 0, 0, new byte[0], 1);
        out.close();
    }

    /** Gzip-compressed cpio bytes in memory, for small archives. */
    static byte[] inMemory(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Cpio cpio = gzip(bytes)) {
            writer.write(cpio);
        }
        return bytes.toByteArray();
    }

    @FunctionalInterface
    interface Writer {
        void write(Cpio cpio) throws IOException;
    }

    private void parents(String name) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            String parent = name.substring(0, slash);
            if (!dirs.contains(parent)) {
                dir("/" + parent, 0755);
            }
        }
    }

    private static String relative(String path) {
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("not an absolute path: " + path);
        }
        return path.substring(1);
    }

    private void entry(String name, int mode, int rdevMajor, int rdevMinor, byte[] data, int nlink)
            throws IOException {
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        StringBuilder h = new StringBuilder("070701");
        for (long field : new long[] {name.equals("TRAILER!!!") ? 0 : ino++, mode, 0, 0, nlink, 0, data.length, 0, 0,
                rdevMajor, rdevMinor, nameBytes.length, 0}) {
            h.append(String.format("%08x", field));
        }
        write(h.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        pad();
        write(data);
        pad();
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        offset += bytes.length;
    }

    private void pad() throws IOException {
        while (offset % 4 != 0) {
            out.write(0);
            offset++;
        }
    }
}
