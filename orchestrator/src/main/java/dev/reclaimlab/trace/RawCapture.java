package dev.reclaimlab.trace;

import dev.reclaimlab.artifacts.RunLayout;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A binary trace: each CPU's ring-buffer pages and what decoding them needs. It names regions of files rather than
 * holding their bytes, so a capture of gigabytes costs nothing to describe; only the small metadata is read.
 *
 * <p>Two sources give one: a run iteration's binary capture ({@link #fromIteration}, the {@link RunLayout#RAW}
 * folder that {@code lab run} collects) and a trace.dat file (its reader names the regions inside that file). The
 * decoder and the trace.dat writer both take it.
 *
 * @param order       the traced kernel's byte order (page headers, event headers and fields are in it)
 * @param headerPage  the text of {@code events/header_page}: where the page's timestamp, commit and data lie
 * @param headerEvent the text of {@code events/header_event} (kept for trace.dat; the layout it describes is fixed)
 * @param formats     each traced event's {@code format} file, by {@code system/event}
 * @param kallsyms    {@code /proc/kallsyms} as the host showed it, to name {@code %pS} fields; absent if not saved
 * @param cmdlines    {@code saved_cmdlines} ({@code pid comm} lines); absent if not saved
 * @param clock       the trace clock the events were stamped with, e.g. {@code local}
 * @param cpus        per CPU, its pages in the order they were read (a CPU without events may be missing)
 */
public record RawCapture(ByteOrder order, String headerPage, String headerEvent, Map<String, String> formats,
                         Optional<Region> kallsyms, Optional<Region> cmdlines, String clock, List<CpuData> cpus) {

    /** Longest metadata file read whole (header_page, a format file, trace_clock). */
    public static final int MAX_METADATA_BYTES = FormatFiles.MAX_BYTES;

    /** A CPU's file in raw/ and raw/stats/: {@code cpuN}. */
    static final Pattern CPU_FILE = Pattern.compile("cpu(\\d{1,4})");
    private static final Pattern SELECTED_CLOCK = Pattern.compile("\\[([A-Za-z0-9_-]+)]");

    public RawCapture {
        formats = Map.copyOf(formats);
        cpus = cpus.stream().sorted(Comparator.comparingInt(CpuData::cpu)).toList();
    }

    /** A run of bytes in a file. */
    public record Region(Path file, long offset, long length) {
        public Region {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative region " + offset + "+" + length + " of " + file);
            }
        }

        public static Region whole(Path file) throws IOException {
            return new Region(file, 0, Files.size(file));
        }

        /** Its bytes as a stream that ends where the region does (not where the file does). */
        public InputStream open() throws IOException {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                channel.position(offset);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return new FilterInputStream(Channels.newInputStream(channel)) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int c = super.read();
                    if (c >= 0) {
                        left--;
                    }
                    return c;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(b, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        }
    }

    /** One CPU's pages: a whole number of sub-buffers, unless the capture was cut short. */
    public record CpuData(int cpu, Region pages) {}

    /** True if {@code iterationDir} holds a binary capture. */
    public static boolean present(Path iterationDir) {
        return Files.isRegularFile(iterationDir.resolve(RunLayout.RAW).resolve("header_page"));
    }

    /**
     * The binary capture in a run iteration's folder: {@code raw/} for the pages and headers, {@code formats/} for
     * the event formats.
     */
    public static RawCapture fromIteration(Path iterationDir) throws IOException {
        Path raw = iterationDir.resolve(RunLayout.RAW);
        String headerPage = small(raw.resolve("header_page"));
        String headerEvent = Files.isRegularFile(raw.resolve("header_event")) ? small(raw.resolve("header_event")) : "";
        Map<String, String> formats = formats(iterationDir.resolve(RunLayout.FORMATS));
        List<CpuData> cpus = new ArrayList<>();
        try (Stream<Path> files = Files.list(raw)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = CPU_FILE.matcher(file.getFileName().toString());
                if (m.matches()) {
                    cpus.add(new CpuData(Integer.parseInt(m.group(1)), Region.whole(file)));
                }
            }
        }
        return new RawCapture(byteOrder(raw.resolve("byte_order")), headerPage, headerEvent, formats,
                optional(raw.resolve("kallsyms")), optional(raw.resolve("saved_cmdlines")),
                clock(raw.resolve("trace_clock")), cpus);
    }

    /** {@code <system>/<event>.format} files under {@code dir} by {@code system/event}; none if it is absent. */
    private static Map<String, String> formats(Path dir) throws IOException {
        Map<String, String> formats = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return formats;
        }
        try (Stream<Path> systems = Files.list(dir)) {
            for (Path system : systems.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> events = Files.list(system)) {
                    for (Path event : events.filter(Files::isRegularFile).sorted().toList()) {
                        String name = event.getFileName().toString();
                        if (name.endsWith(".format") && formats.size() < FormatFiles.MAX_FILES) {
                            formats.put(system.getFileName() + "/" + name.substring(0, name.length() - 7),
                                    small(event));
                        }
                    }
                }
            }
        }
        return formats;
    }

    /** {@code little} or {@code big}, as the host wrote it; little if it did not (every host lab has met). */
    private static ByteOrder byteOrder(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        String word = small(file).strip();
        return switch (word) {
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            case "big" -> ByteOrder.BIG_ENDIAN;
            default -> throw new IOException(file + ": expected 'little' or 'big', found '" + Bytes.printable(
                    word.getBytes(StandardCharsets.UTF_8), 0, Math.min(word.length(), 40), 40) + "'");
        };
    }

    /** The selected clock of a {@code trace_clock} file ({@code [local] global counter ...}); {@code local} if none. */
    static String clock(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return "local";
        }
        Matcher m = SELECTED_CLOCK.matcher(small(file));
        return m.find() ? m.group(1) : "local";
    }

    private static Optional<Region> optional(Path file) throws IOException {
        return Files.isRegularFile(file) ? Optional.of(Region.whole(file)) : Optional.empty();
    }

    private static String small(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_METADATA_BYTES) {
            throw new IOException(file + ": " + size + " bytes, more than the " + MAX_METADATA_BYTES
                    + " such a file can have");
        }
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
