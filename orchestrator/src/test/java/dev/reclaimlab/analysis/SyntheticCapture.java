package dev.reclaimlab.analysis;

import dev.reclaimlab.trace.EventLayout;
import dev.reclaimlab.trace.FieldLayout;
import dev.reclaimlab.trace.HeaderPage;
import dev.reclaimlab.trace.Pages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A binary capture and the trace_pipe text of the very same events, made from one random list of events: the pages
 * are packed as the kernel packs them (time extends, absolute stamps, discarded events, pages that report lost events
 * with and without a count), the text is what trace_pipe prints for them (nanosecond timestamps, so that both carry
 * the same times). The event layouts are this machine's (6.18) vmscan format files, kept in the test resources.
 */
public final class SyntheticCapture {
    private static final Path FORMATS = Path.of("src/test/resources/traces/local-6.18-memcg-storm/formats");
    private static final String[] SHRINKERS = {"super_cache_scan", "deferred_split_scan", "scan_shadow_nodes"};
    private static final long[] SHRINKER_ADDRESSES = {0xffffffff81300000L, 0xffffffff81410000L, 0xffffffffc0a20000L};
    private static final String[] COMMS = {"dd", "kswapd0", "stress-ng-vm", "kworker/u8:2", "cat"};
    private static final int OTHER_ID = 999;
    private static final String OTHER_FORMAT = """
            name: other_event
            ID: 999
            format:
            \tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
            \tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;
            \tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;
            \tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

            \tfield:int x;\toffset:8;\tsize:4;\tsigned:1;

            print fmt: "x=%d", REC->x
            """;

    private SyntheticCapture() {}

    private record Event(int cpu, long ts, int pid, String text, byte[] payload) {}

    /**
     * Writes {@code dir/raw/...} and {@code dir/formats/...} (an iteration folder) in byte order {@code order}, and
     * returns the text trace of the same events ({@code dir/trace.txt}).
     */
    public static Path write(Path dir, long seed, int events, ByteOrder order) throws IOException {
        return write(dir, seed, events, order, true);
    }

    /** As {@link #write(Path, long, int, ByteOrder)}; {@code losses}: whether some pages report lost events. */
    public static Path write(Path dir, long seed, int events, ByteOrder order, boolean losses) throws IOException {
        Random random = new Random(seed);
        Map<String, EventLayout> layouts = copyFormats(dir.resolve("formats"));
        List<Event> list = new ArrayList<>();
        long ns = 5_000_000_000L;
        for (int i = 0; i < events; i++) {
            ns += 1 + random.nextInt(random.nextInt(50) == 0 ? 400_000_000 : 40_000); // now and then a long gap
            int pid = random.nextInt(10) == 0 ? 0 : 100 + random.nextInt(12);
            int cpu = random.nextInt(4);
            list.add(event(random, layouts, order, cpu, ns, pid));
        }
        Path raw = Files.createDirectories(dir.resolve("raw"));
        Files.writeString(raw.resolve("header_page"), """
                \tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;
                \tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;
                \tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;
                \tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;
                """);
        Files.writeString(raw.resolve("byte_order"), order == ByteOrder.BIG_ENDIAN ? "big\n" : "little\n");
        Files.writeString(raw.resolve("trace_clock"), "[local] global counter uptime perf mono\n");
        StringBuilder kallsyms = new StringBuilder("ffffffff81000000 T _stext\n");
        for (int s = 0; s < SHRINKERS.length; s++) {
            kallsyms.append(Long.toHexString(SHRINKER_ADDRESSES[s])).append(" t ").append(SHRINKERS[s])
                    .append(s == 2 ? "\t[workingset]\n" : "\n");
        }
        Files.writeString(raw.resolve("kallsyms"), kallsyms);
        StringBuilder cmdlines = new StringBuilder();
        for (int pid = 100; pid < 112; pid++) {
            cmdlines.append(pid).append(' ').append(COMMS[pid % COMMS.length]).append('\n');
        }
        Files.writeString(raw.resolve("saved_cmdlines"), cmdlines);
        List<String> text = new ArrayList<>();
        List<String> lostLines = pack(random, list, raw, order, losses);
        for (int i = 0; i < list.size(); i++) {
            if (lostLines.get(i) != null) {
                text.add(lostLines.get(i));
            }
            text.add(list.get(i).text());
        }
        return Files.write(dir.resolve("trace.txt"), text);
    }

    private static Map<String, EventLayout> copyFormats(Path to) throws IOException {
        Map<String, EventLayout> layouts = new LinkedHashMap<>();
        Files.createDirectories(to.resolve("vmscan"));
        try (Stream<Path> files = Files.list(FORMATS.resolve("vmscan"))) {
            for (Path f : files.sorted().toList()) {
                String format = Files.readString(f);
                Files.writeString(to.resolve("vmscan").resolve(f.getFileName()), format);
                EventLayout layout = EventLayout.parse(format);
                layouts.put(layout.name(), layout);
            }
        }
        Files.createDirectories(to.resolve("lab"));
        Files.writeString(to.resolve("lab/other_event.format"), OTHER_FORMAT);
        layouts.put("other_event", EventLayout.parse(OTHER_FORMAT));
        return layouts;
    }

    private static Event event(Random random, Map<String, EventLayout> layouts, ByteOrder order, int cpu, long ts,
                               int pid) {
        int kind = random.nextInt(8);
        String name = kind == 7 ? "other_event" : Stats.KNOWN_EVENTS[kind];
        EventLayout layout = layouts.get(name);
        int size = layout.fields().values().stream().mapToInt(f -> f.offset() + f.size()).max().orElse(8);
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        b.putShort(0, (short) layout.id());
        put(b, layout.field("common_pid"), pid);
        String fields;
        switch (kind) {
            case Stats.MEMCG_BEGIN, Stats.DIRECT_BEGIN -> fields = "order=0 gfp_flags=GFP_KERNEL";
            case Stats.MEMCG_END, Stats.DIRECT_END -> {
                long nr = random.nextInt(70);
                put(b, layout.field("nr_reclaimed"), nr);
                fields = "nr_reclaimed=" + nr;
            }
            case Stats.SLAB_START, Stats.SLAB_END -> {
                int s = random.nextInt(SHRINKERS.length);
                put(b, layout.field("shrink"), SHRINKER_ADDRESSES[s]);
                if (kind == Stats.SLAB_START) {
                    fields = SHRINKERS[s] + "+0x0/0x1f0 0xffff888100e0d100: nid: 0 objects to shrink 0 gfp_flags "
                            + "GFP_KERNEL cache items 1 delta 0 total_scan 0 priority 12";
                } else {
                    int retval = random.nextInt(5) - 1;
                    put(b, layout.field("retval"), retval);
                    fields = SHRINKERS[s] + "+0x0/0x1f0 0xffff888100e0d100: nid: 0 unused scan count 0 new scan count "
                            + "0 total_scan 0 last shrinker return val " + retval;
                }
            }
            case Stats.LRU_SHRINK_INACTIVE -> {
                long scanned = random.nextInt(512);
                long reclaimed = random.nextInt(64);
                int priority = random.nextInt(13);
                boolean anon = random.nextBoolean();
                put(b, layout.field("nr_scanned"), scanned);
                put(b, layout.field("nr_reclaimed"), reclaimed);
                put(b, layout.field("priority"), priority);
                put(b, layout.field("reclaim_flags"), (anon ? 1 : 2) | 8);
                fields = String.format(Locale.ROOT, "nid=0 nr_scanned=%d nr_reclaimed=%d nr_dirty=0 nr_writeback=0 "
                        + "nr_congested=0 nr_immediate=0 nr_activate_anon=0 nr_activate_file=0 nr_ref_keep=0 "
                        + "nr_unmap_fail=0 priority=%d flags=RECLAIM_WB_%s|RECLAIM_WB_ASYNC", scanned, reclaimed,
                        priority, anon ? "ANON" : "FILE");
            }
            default -> {
                put(b, layout.field("x"), 7);
                fields = "x=7";
            }
        }
        String comm = pid == 0 ? "<idle>" : COMMS[pid % COMMS.length];
        String text = String.format(Locale.ROOT, "%16s-%-7d [%03d] ..... %d.%09d: %s: %s", comm, pid, cpu,
                ts / 1_000_000_000L, ts % 1_000_000_000L, name, fields);
        return new Event(cpu, ts, pid, text, b.array());
    }

    private static void put(ByteBuffer b, FieldLayout f, long v) {
        switch (f.size()) {
            case 4 -> b.putInt(f.offset(), (int) v);
            case 8 -> b.putLong(f.offset(), v);
            default -> throw new IllegalArgumentException(f.toString());
        }
    }

    /**
     * Packs each CPU's events into pages with the items the kernel writes, and returns per event the lost-events line
     * trace_pipe prints before it (null for none).
     */
    private static List<String> pack(Random random, List<Event> events, Path raw, ByteOrder order, boolean losses)
            throws IOException {
        List<String> lostLines = new ArrayList<>();
        Map<Integer, Pages> open = new LinkedHashMap<>();
        Map<Integer, Long> lastTs = new LinkedHashMap<>();
        for (int cpu = 0; cpu < 4; cpu++) {
            Files.write(raw.resolve("cpu" + cpu), new byte[0]);
        }
        for (Event e : events) {
            Pages page = open.get(e.cpu());
            int need = e.payload().length + 8 + 8 + 16 + 4;
            String lost = null;
            if (page == null || page.room() < need || random.nextInt(200) == 0) {
                if (page != null) {
                    Files.write(raw.resolve("cpu" + e.cpu()), page.bytes(), StandardOpenOption.APPEND);
                }
                page = new Pages(order, HeaderPage.X86_64, e.ts());
                open.put(e.cpu(), page);
                lastTs.put(e.cpu(), e.ts());
                if (random.nextInt(6) == 0 && losses) {
                    long count = random.nextInt(3) == 0 ? -1 : 1 + random.nextInt(5000);
                    page.missed(count < 0 ? null : count);
                    lost = "CPU:" + e.cpu() + (count < 0 ? " [LOST EVENTS]" : " [LOST " + count + " EVENTS]");
                }
            }
            long delta = e.ts() - lastTs.get(e.cpu());
            int how = random.nextInt(12);
            if (how == 0) {
                page.stamp(e.ts());
                delta = 0;
            } else if (delta >= 1L << 27 || how == 1) {
                page.extend(delta);
                delta = 0;
            } else if (how == 2 && delta > 1) {
                long discardedDelta = 1 + random.nextInt((int) Math.min(delta - 1, 1000));
                page.discarded(discardedDelta, 16);
                delta -= discardedDelta;
            }
            page.record(delta, e.payload());
            lastTs.put(e.cpu(), e.ts());
            lostLines.add(lost);
        }
        for (Map.Entry<Integer, Pages> p : open.entrySet()) {
            Files.write(raw.resolve("cpu" + p.getKey()), p.getValue().bytes(), StandardOpenOption.APPEND);
        }
        return lostLines;
    }
}
