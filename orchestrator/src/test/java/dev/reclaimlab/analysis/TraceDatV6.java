package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.HeaderPage;
import dev.reclaimlab.trace.RawCapture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal trace.dat version 6 writer for tests only (the layout of /work/notes/tracedat-format.md §1 and §6): it
 * wraps a capture's pages unchanged, so that {@code trace-cmd report} decodes the very bytes our decoder reads and the
 * two can be compared. No options, no trace clock block (timestamps are then shown as ns).
 */
final class TraceDatV6 {
    private TraceDatV6() {}

    static void write(RawCapture capture, HeaderPage header, Path out) throws IOException {
        ByteOrder order = capture.order();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[] {0x17, 0x08, 0x44});
        b.write(ascii("tracing"));
        b.write(ascii("6\0"));
        b.write(order == ByteOrder.BIG_ENDIAN ? 1 : 0);
        b.write(header.commitSize());
        b.write(num(order, 4, header.pageSize()));
        b.write(ascii("header_page\0"));
        byte[] hp = capture.headerPage().getBytes(StandardCharsets.ISO_8859_1);
        b.write(num(order, 8, hp.length));
        b.write(hp);
        b.write(ascii("header_event\0"));
        byte[] he = capture.headerEvent().getBytes(StandardCharsets.ISO_8859_1);
        b.write(num(order, 8, he.length));
        b.write(he);
        b.write(num(order, 4, 0)); // no ftrace formats
        Map<String, List<String>> systems = new TreeMap<>();
        capture.formats().forEach((key, text) -> systems.computeIfAbsent(key.substring(0, key.indexOf('/')),
                k -> new ArrayList<>()).add(text));
        b.write(num(order, 4, systems.size()));
        for (Map.Entry<String, List<String>> system : systems.entrySet()) {
            b.write(ascii(system.getKey() + "\0"));
            b.write(num(order, 4, system.getValue().size()));
            for (String format : system.getValue()) {
                byte[] f = format.getBytes(StandardCharsets.ISO_8859_1);
                b.write(num(order, 8, f.length));
                b.write(f);
            }
        }
        byte[] kallsyms = read(capture.kallsyms());
        b.write(num(order, 4, kallsyms.length));
        b.write(kallsyms);
        b.write(num(order, 4, 0)); // no printk formats
        byte[] cmdlines = read(capture.cmdlines());
        b.write(num(order, 8, cmdlines.length));
        b.write(cmdlines);
        int cpus = capture.cpus().isEmpty() ? 0 : capture.cpus().get(capture.cpus().size() - 1).cpu() + 1;
        b.write(num(order, 4, cpus));
        b.write(ascii("options  \0"));
        b.write(num(order, 2, 0));
        b.write(ascii("flyrecord\0"));
        long table = b.size();
        long at = align(table + 16L * cpus, header.pageSize());
        long[][] pairs = new long[cpus][2];
        for (RawCapture.CpuData data : capture.cpus()) {
            pairs[data.cpu()][0] = data.pages().length() == 0 ? 0 : at;
            pairs[data.cpu()][1] = data.pages().length();
            at = align(at + data.pages().length(), header.pageSize());
        }
        for (long[] pair : pairs) {
            b.write(num(order, 8, pair[0]));
            b.write(num(order, 8, pair[1]));
        }
        Files.write(out, b.toByteArray());
        try (var file = Files.newOutputStream(out, java.nio.file.StandardOpenOption.APPEND)) {
            long written = b.size();
            for (RawCapture.CpuData data : capture.cpus()) {
                if (data.pages().length() == 0) {
                    continue;
                }
                long start = pairs[data.cpu()][0];
                file.write(new byte[(int) (start - written)]);
                try (InputStream in = data.pages().open()) {
                    in.transferTo(file);
                }
                written = start + data.pages().length();
            }
        }
    }

    private static long align(long n, int page) {
        return (n + page - 1) / page * page;
    }

    private static byte[] read(java.util.Optional<RawCapture.Region> region) throws IOException {
        if (region.isEmpty()) {
            return new byte[0];
        }
        try (InputStream in = region.get().open()) {
            return in.readAllBytes();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] num(ByteOrder order, int width, long v) {
        ByteBuffer b = ByteBuffer.allocate(8).order(order);
        switch (width) {
            case 2 -> b.putShort((short) v);
            case 4 -> b.putInt((int) v);
            default -> b.putLong(v);
        }
        byte[] out = new byte[width];
        System.arraycopy(b.array(), 0, out, 0, width);
        return out;
    }
}
