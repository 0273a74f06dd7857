package dev.reclaimlab.trace;

import dev.reclaimlab.local.Trees;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A {@link RawCapture} as a trace.dat of file version 6, the layout every trace-cmd 3.x and KernelShark read (v7, what
 * trace-cmd writes by default, only adds sections and compression). One top-level buffer, flyrecord data.
 *
 * <p>The file is written beside its target under a hidden name and renamed over it when complete, so a reader never
 * meets half a trace.dat. The pages are copied file to file, not through the heap.
 */
public final class TraceDatWriter {
    /** What the file names as its writer ({@code trace-cmd report --version}). */
    static final String WRITER = "reclaim-lab";

    private final RawCapture capture;
    private final HeaderPage layout;
    private final SortedMap<Integer, String> cpuStats;

    /**
     * @param cpuStats per CPU, the text of its {@code per_cpu/cpuN/stats} at the end of the capture (for
     *                 {@code trace-cmd report --stat}); may be empty
     * @throws IOException if the capture's header_page does not describe a page
     */
    public TraceDatWriter(RawCapture capture, Map<Integer, String> cpuStats) throws IOException {
        this.capture = capture;
        try {
            this.layout = HeaderPage.require(capture.headerPage());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        this.cpuStats = new TreeMap<>(cpuStats);
    }

    /**
     * What was written.
     *
     * @param cpus       how many CPUs the file lists (the highest CPU number plus one)
     * @param pageSize   the page size the file declares
     * @param pageBytes  bytes of pages copied, all CPUs together
     * @param leftOut    per CPU, the bytes after its last whole page that were not copied (a capture cut short
     *                   mid-page); trace-cmd reads pages whole, and a partial one has a commit it cannot trust
     */
    public record Written(Path file, int cpus, int pageSize, long pageBytes, Map<Integer, Long> leftOut) {
        public Written {
            leftOut = Map.copyOf(leftOut);
        }
    }

    /** Writes the trace.dat to {@code target}, replacing what was there only once it is complete. */
    public Written write(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + ".tmp");
        try {
            Written written;
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                 DatOutput out = new DatOutput(channel, capture.order())) {
                written = writeTo(out, target);
            }
            Trees.moveIntoPlace(temp, absolute);
            return written;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private Written writeTo(DatOutput out, Path target) throws IOException {
        initialHeader(out);
        headerFiles(out);
        formats(out);
        symbolsAndNames(out);
        int cpus = cpuCount();
        out.u32(cpus);
        options(out);
        return flyrecord(out, cpus, target);
    }

    /** The highest CPU number plus one: the table is indexed by CPU, so each CPU may appear once. */
    private int cpuCount() throws IOException {
        int previous = -1;
        for (RawCapture.CpuData cpu : capture.cpus()) { // sorted by CPU
            if (cpu.cpu() < 0 || cpu.cpu() >= TraceDatFile.MAX_CPUS || cpu.cpu() == previous) {
                throw new IOException(cpu.pages().file() + ": CPU " + cpu.cpu() + (cpu.cpu() == previous
                        ? " has pages twice in the capture" : " is not a CPU number a trace.dat can hold"));
            }
            previous = cpu.cpu();
        }
        return previous + 1;
    }

    /** Magic, version, byte order, long size and page size. */
    private void initialHeader(DatOutput out) throws IOException {
        out.bytes(TraceDatV6.MAGIC).bytes(Bytes.ascii(TraceDatV6.VERSION + "\0"));
        out.u8(capture.order() == ByteOrder.BIG_ENDIAN ? 1 : 0);
        // trace-cmd writes its own sizeof(long) here, but then uses header_page's commit size for the pages: give the
        // kernel's, so the two agree
        out.u8(layout.commitSize());
        out.u32(layout.pageSize());
    }

    private void headerFiles(DatOutput out) throws IOException {
        byte[] page = latin1(capture.headerPage());
        out.bytes(TraceDatV6.HEADER_PAGE).u64(page.length).bytes(page);
        byte[] event = latin1(capture.headerEvent());
        out.bytes(TraceDatV6.HEADER_EVENT).u64(event.length).bytes(event);
    }

    /** The ftrace system's formats in their own section, then every other system's. */
    private void formats(DatOutput out) throws IOException {
        SortedMap<String, SortedMap<String, String>> bySystem = new TreeMap<>();
        for (Map.Entry<String, String> format : capture.formats().entrySet()) {
            int slash = format.getKey().indexOf('/');
            if (slash <= 0 || slash == format.getKey().length() - 1) {
                throw new IOException("event format '" + format.getKey() + "': expected a system/event name");
            }
            bySystem.computeIfAbsent(format.getKey().substring(0, slash), s -> new TreeMap<>())
                    .put(format.getKey().substring(slash + 1), format.getValue());
        }
        SortedMap<String, String> ftrace = bySystem.remove(TraceDatV6.FTRACE);
        formatList(out, ftrace == null ? Map.of() : ftrace);
        out.u32(bySystem.size());
        for (Map.Entry<String, SortedMap<String, String>> system : bySystem.entrySet()) {
            out.bytes(latin1(system.getKey() + "\0"));
            formatList(out, system.getValue());
        }
    }

    private static void formatList(DatOutput out, Map<String, String> formats) throws IOException {
        out.u32(formats.size());
        for (String format : formats.values()) {
            byte[] text = latin1(format);
            out.u64(text.length).bytes(text);
        }
    }

    /** kallsyms (4-byte size), printk formats (none: lab does not use trace_printk), saved_cmdlines (8-byte size). */
    private void symbolsAndNames(DatOutput out) throws IOException {
        Optional<RawCapture.Region> kallsyms = capture.kallsyms();
        long kallsymsBytes = kallsyms.map(RawCapture.Region::length).orElse(0L);
        if (kallsymsBytes > 0xffff_ffffL) {
            throw new IOException(kallsyms.get().file() + ": " + kallsymsBytes
                    + " bytes of kallsyms, more than the 4 GiB a trace.dat can hold");
        }
        out.u32(kallsymsBytes);
        if (kallsyms.isPresent()) {
            out.region(kallsyms.get());
        }
        out.u32(0);
        Optional<RawCapture.Region> cmdlines = capture.cmdlines();
        out.u64(cmdlines.map(RawCapture.Region::length).orElse(0L));
        if (cmdlines.isPresent()) {
            out.region(cmdlines.get());
        }
    }

    /** Text options end in NUL, and the size counts it: trace-cmd overwrites the last byte of CPUSTAT with a newline. */
    private void options(DatOutput out) throws IOException {
        out.bytes(TraceDatV6.OPTIONS);
        textOption(out, TraceDatV6.OPTION_TRACECLOCK, "[" + capture.clock() + "]\n");
        for (Map.Entry<Integer, String> stats : cpuStats.entrySet()) {
            textOption(out, TraceDatV6.OPTION_CPUSTAT, "CPU: " + stats.getKey() + "\n" + stats.getValue());
        }
        textOption(out, TraceDatV6.OPTION_VERSION, WRITER);
        out.u16(TraceDatV6.OPTION_DONE);
    }

    private static void textOption(DatOutput out, int id, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.u16(id).u32(bytes.length + 1L).bytes(bytes).u8(0);
    }

    /**
     * The per-CPU (offset, size) table, the selected clock, then each CPU's pages at a page-aligned offset (trace-cmd
     * rejects any other: it maps pages). The table's index is the CPU number, so CPUs without data get a zero pair.
     */
    private Written flyrecord(DatOutput out, int cpus, Path target) throws IOException {
        out.bytes(TraceDatV6.FLYRECORD);
        long table = out.position();
        for (int i = 0; i < cpus; i++) {
            out.u64(0).u64(0);
        }
        // read only because TRACECLOCK was given; without it trace-cmd warns and assumes local
        byte[] clock = Bytes.ascii("[" + capture.clock() + "]");
        out.u64(clock.length).bytes(clock);

        long[] pairs = new long[cpus * 2];
        long pageBytes = 0;
        Map<Integer, Long> leftOut = new TreeMap<>();
        int pageSize = layout.pageSize();
        for (RawCapture.CpuData cpu : capture.cpus()) {
            RawCapture.Region pages = cpu.pages();
            long whole = pages.length() - pages.length() % pageSize;
            if (whole != pages.length()) {
                leftOut.put(cpu.cpu(), pages.length() - whole);
            }
            if (whole == 0) {
                continue;
            }
            out.padTo(pageSize);
            pairs[2 * cpu.cpu()] = out.position();
            pairs[2 * cpu.cpu() + 1] = whole;
            out.region(new RawCapture.Region(pages.file(), pages.offset(), whole));
            pageBytes += whole;
        }
        out.u64sAt(table, pairs);
        return new Written(target, cpus, pageSize, pageBytes, leftOut);
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
