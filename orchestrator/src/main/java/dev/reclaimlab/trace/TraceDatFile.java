package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a trace.dat of file version 6 (lab's own, or {@code trace-cmd record --file-version 6}) as a {@link RawCapture}
 * whose regions lie inside the file: the pages are not read, only found. The file is untrusted: every size is checked
 * against the file and a limit before anything is allocated, and a bad file fails with an {@link IOException} that
 * names the file, the byte offset and what was expected there.
 *
 * <p>Only the top-level buffer is read; instance buffers that trace-cmd adds with {@code -B} are left out.
 */
public final class TraceDatFile {
    /** More CPUs than any kernel supports (NR_CPUS tops out at 8192). */
    static final int MAX_CPUS = 1 << 16;
    /** More event formats than a kernel has (a 6.x kernel with every module: about 2,500); trace-cmd stores all. */
    static final int MAX_FORMATS = 1 << 14;
    /** All format texts together; a file that claims more is not one trace-cmd wrote. */
    static final long MAX_FORMAT_BYTES = 64L << 20;
    /** Sub-buffers are at most a few MiB; a larger page size is a corrupt header. */
    static final long MAX_PAGE_SIZE = 64L << 20;
    private static final int MAX_NAME = 256;
    private static final int MAX_OPTION_TEXT = 1 << 16;
    private static final Pattern NAME = Pattern.compile("(?m)^name:\\s*(\\S+)");
    private static final Pattern SELECTED_CLOCK = Pattern.compile("\\[([A-Za-z0-9_-]{1,64})]");

    private final DatInput in;
    private long formatBytes;
    private int formatCount;
    /** The clock the TRACECLOCK option selects, in case the block after the CPU table is missing. */
    private String optionClock = "local";

    private TraceDatFile(DatInput in) {
        this.in = in;
    }

    /** The capture in {@code file}, its regions pointing into {@code file}. */
    public static RawCapture read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new TraceDatFile(new DatInput(file, channel)).capture();
        }
    }

    private RawCapture capture() throws IOException {
        in.expect(TraceDatV6.MAGIC, "the trace.dat magic");
        version();
        ByteOrder order = byteOrder();
        in.order(order);
        long longAt = in.position();
        int longSize = in.u8("the size of long");
        if (longSize != 4 && longSize != 8) {
            throw in.failure(longAt, "the size of long (4 or 8)", String.valueOf(longSize));
        }
        long pageSizeAt = in.position();
        long pageSize = in.u32("the page size");
        if (pageSize < 16 || pageSize > MAX_PAGE_SIZE) {
            throw in.failure(pageSizeAt, "a page size of 16 bytes to " + MAX_PAGE_SIZE, String.valueOf(pageSize));
        }
        String headerPage = headerFile(TraceDatV6.HEADER_PAGE, "header_page");
        checkPageLayout(headerPage, pageSize, pageSizeAt);
        String headerEvent = headerFile(TraceDatV6.HEADER_EVENT, "header_event");

        Map<String, String> formats = new TreeMap<>();
        formatList(TraceDatV6.FTRACE, formats);
        long systemsAt = in.position();
        long systems = in.u32("the number of event systems");
        if (systems > MAX_FORMATS) {
            throw in.failure(systemsAt, "at most " + MAX_FORMATS + " event systems", String.valueOf(systems));
        }
        for (long i = 0; i < systems; i++) {
            formatList(in.cstring(MAX_NAME, "an event system's name"), formats);
        }

        Optional<RawCapture.Region> kallsyms = region(in.u32("the size of kallsyms"), "kallsyms");
        region(in.u32("the size of the printk formats"), "the printk formats");
        Optional<RawCapture.Region> cmdlines = region(in.u64("the size of saved_cmdlines"), "saved_cmdlines");

        long cpusAt = in.position();
        long cpus = in.u32("the number of CPUs");
        if (cpus > MAX_CPUS) {
            throw in.failure(cpusAt, "at most " + MAX_CPUS + " CPUs", String.valueOf(cpus));
        }
        boolean clockBlock = in.at(TraceDatV6.OPTIONS) && options();
        if (in.at(TraceDatV6.LATENCY)) {
            throw in.failure(in.position(), "'flyrecord' (lab reads ring-buffer pages)",
                    "'latency': a latency-tracer file, whose data is text");
        }
        in.expect(TraceDatV6.FLYRECORD, "the flyrecord section");
        List<RawCapture.CpuData> data = cpuData((int) cpus, pageSize);
        String clock = clockBlock ? trailingClock() : optionClock;
        return new RawCapture(order, headerPage, headerEvent, formats, kallsyms, cmdlines, clock, data);
    }

    private void version() throws IOException {
        long at = in.position();
        String version = in.cstring(16, "the file version");
        if (version.equals("7")) {
            throw new IOException(in.file() + ": at byte " + at + ": trace.dat file version 7 (trace-cmd's default); "
                    + "lab reads only version 6. Convert it: trace-cmd convert --file-version 6 -i " + in.file()
                    + " -o " + in.file() + ".v6 (or record with trace-cmd record --file-version 6)");
        }
        if (!version.equals(TraceDatV6.VERSION)) {
            throw in.failure(at, "file version " + TraceDatV6.VERSION, DatInput.quoted(Bytes.ascii(version)));
        }
    }

    private ByteOrder byteOrder() throws IOException {
        long at = in.position();
        int endian = in.u8("the byte order");
        return switch (endian) {
            case 0 -> ByteOrder.LITTLE_ENDIAN;
            case 1 -> ByteOrder.BIG_ENDIAN;
            default -> throw in.failure(at, "the byte order (0 little, 1 big)", String.valueOf(endian));
        };
    }

    private String headerFile(byte[] name, String what) throws IOException {
        in.expect(name, "the " + what + " section");
        long at = in.position();
        long size = in.u64("the size of " + what);
        if (size == 0 && name == TraceDatV6.HEADER_PAGE) {
            // trace-cmd would read the pages in the pre-2.6.31 layout, which no kernel lab meets writes
            throw in.failure(at, "a non-empty header_page", "an empty one");
        }
        return text(in.bytes(size, RawCapture.MAX_METADATA_BYTES, what));
    }

    /** The pages the file's page size steps through must be the pages header_page describes, or decoding slips. */
    private void checkPageLayout(String headerPage, long pageSize, long pageSizeAt) throws IOException {
        try {
            int described = HeaderPage.require(headerPage).pageSize();
            if (described != pageSize) {
                throw in.failure(pageSizeAt, "the page size header_page describes (" + described + ")",
                        String.valueOf(pageSize));
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(in.file() + ": " + e.getMessage(), e);
        }
    }

    /** {@code u32 count}, then each format as {@code u64 size} and its text, named by its {@code name:} line. */
    private void formatList(String system, Map<String, String> formats) throws IOException {
        long at = in.position();
        long count = in.u32("the number of " + system + " formats");
        if (count > MAX_FORMATS - formatCount) {
            throw in.failure(at, "at most " + MAX_FORMATS + " event formats in all", count + " more");
        }
        formatCount += (int) count;
        for (long i = 0; i < count; i++) {
            long size = in.u64("the size of a " + system + " format");
            String text = text(in.bytes(size, Math.min(RawCapture.MAX_METADATA_BYTES, MAX_FORMAT_BYTES - formatBytes),
                    "a " + system + " format"));
            formatBytes += size;
            Matcher name = NAME.matcher(text);
            // a format without a name still keeps its place, so that writing the capture again keeps it too
            formats.putIfAbsent(system + "/" + (name.find() ? name.group(1) : "unnamed-" + i), text);
        }
    }

    /** A region of {@code size} bytes here, or none when the size is 0; the bytes are skipped, not read. */
    private Optional<RawCapture.Region> region(long size, String what) throws IOException {
        long at = in.position();
        in.skip(size, what);
        return size == 0 ? Optional.empty() : Optional.of(new RawCapture.Region(in.file(), at, size));
    }

    /**
     * Options up to the bare 2-byte 0: the clock is kept, the rest skipped. Returns whether a TRACECLOCK option was
     * there, which is what tells trace-cmd (and so us) that the clock block follows the CPU table.
     */
    private boolean options() throws IOException {
        in.expect(TraceDatV6.OPTIONS, "the options section");
        boolean traceClock = false;
        while (true) {
            int id = in.u16("an option id");
            if (id == TraceDatV6.OPTION_DONE) {
                return traceClock;
            }
            long size = in.u32("the size of option " + id);
            if (id == TraceDatV6.OPTION_TRACECLOCK) {
                traceClock = true;
                String text = text(in.bytes(size, MAX_OPTION_TEXT, "the trace_clock option"));
                Matcher m = SELECTED_CLOCK.matcher(text);
                if (m.find()) {
                    optionClock = m.group(1);
                }
            } else {
                in.skip(size, "option " + id);
            }
        }
    }

    /** {@code cpus} (offset, size) pairs; the pair's index is the CPU number. Empty CPUs are kept, with no bytes. */
    private List<RawCapture.CpuData> cpuData(int cpus, long pageSize) throws IOException {
        in.requireInFile(in.position(), 16L * cpus, "the table of " + cpus + " CPUs' data");
        List<RawCapture.CpuData> data = new ArrayList<>(cpus);
        for (int cpu = 0; cpu < cpus; cpu++) {
            long at = in.position();
            long offset = in.u64("CPU " + cpu + "'s data offset");
            long size = in.u64("CPU " + cpu + "'s data size");
            if (size == 0) {
                data.add(new RawCapture.CpuData(cpu, new RawCapture.Region(in.file(), 0, 0)));
                continue;
            }
            if (offset % pageSize != 0) {
                throw in.failure(at, "CPU " + cpu + "'s data at a multiple of the page size " + pageSize,
                        "offset " + offset);
            }
            in.requireInFile(offset, size, "CPU " + cpu + "'s data");
            data.add(new RawCapture.CpuData(cpu, new RawCapture.Region(in.file(), offset, size)));
        }
        return data;
    }

    /** {@code u64 len} and {@code [clock]}, written after the CPU table when TRACECLOCK was given. */
    private String trailingClock() throws IOException {
        long at = in.position();
        String text = text(in.bytes(in.u64("the size of the trace clock"), MAX_NAME, "the trace clock"));
        Matcher m = SELECTED_CLOCK.matcher(text);
        if (!m.find()) {
            throw in.failure(at, "the trace clock as [name]", DatInput.quoted(Bytes.ascii(text)));
        }
        return m.group(1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
