package dev.reclaimlab.trace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A binary capture cut into time slices that can be analysed side by side and then merged in time order, as the text
 * path cuts a file into chunks of lines. A slice is a time range {@code [from, to)}; on each CPU it owns the pages
 * that start in that range, and reads the page before them as its lead-in, since that page's last items may already
 * lie in the range. Page start times are read from the page headers (a few hundred reads, not the whole capture).
 *
 * <p>The cut assumes that each CPU's time only grows, page after page and item after item. A {@link CpuRecords} over
 * a slice reports when it does not ({@link CpuRecords#outOfOrder()}); the analysis then reads the capture as a whole.
 */
public final class CaptureSlices {
    /** Page start times sampled per slice wanted, to place the cuts where the pages are, not where the time is. */
    private static final int SAMPLES_PER_SLICE = 16;

    private CaptureSlices() {
    }

    /**
     * One CPU's part of a slice: the bytes of {@code pages} to decode, of which those before {@code ownedFrom} are the
     * lead-in.
     */
    public record CpuSlice(int cpu, RawCapture.Region pages, long ownedFrom) {}

    /** Every CPU's items with a time in {@code [from, to)}; {@code from} is {@code Long.MIN_VALUE} for the first. */
    public record Slice(long from, long to, List<CpuSlice> cpus) {
        public Slice {
            cpus = List.copyOf(cpus);
        }
    }

    /** The whole capture as one slice, read as it is. */
    public static Slice whole(RawCapture capture) {
        List<CpuSlice> cpus = new ArrayList<>();
        for (RawCapture.CpuData data : capture.cpus()) {
            cpus.add(new CpuSlice(data.cpu(), data.pages(), data.pages().offset()));
        }
        return new Slice(Long.MIN_VALUE, Long.MAX_VALUE, cpus);
    }

    /**
     * At most {@code wanted} slices holding about as many pages each; one (the whole capture) when {@code wanted} is 1
     * or the pages' times do not allow a cut.
     */
    public static List<Slice> split(RawCapture capture, HeaderPage header, int wanted) throws IOException {
        if (wanted <= 1) {
            return List.of(whole(capture));
        }
        Map<Path, FileChannel> open = new HashMap<>();
        try {
            List<PageTimes> cpus = new ArrayList<>();
            for (RawCapture.CpuData data : capture.cpus()) {
                FileChannel channel = open.get(data.pages().file());
                if (channel == null) {
                    channel = FileChannel.open(data.pages().file(), StandardOpenOption.READ);
                    open.put(data.pages().file(), channel);
                }
                cpus.add(new PageTimes(data, header, capture, channel));
            }
            long[] cuts = cuts(cpus, wanted);
            if (cuts.length == 0) {
                return List.of(whole(capture));
            }
            List<Slice> slices = new ArrayList<>();
            long[] ownedFrom = new long[cpus.size()]; // page index per CPU where the current slice's pages start
            for (int k = 0; k <= cuts.length; k++) {
                long from = k == 0 ? Long.MIN_VALUE : cuts[k - 1];
                long to = k == cuts.length ? Long.MAX_VALUE : cuts[k];
                List<CpuSlice> parts = new ArrayList<>();
                for (int c = 0; c < cpus.size(); c++) {
                    PageTimes cpu = cpus.get(c);
                    long ownedTo = to == Long.MAX_VALUE ? cpu.pages : cpu.firstAtOrAfter(to);
                    long first = Math.max(0, k == 0 ? 0 : ownedFrom[c] - 1);
                    long start = cpu.offset(first);
                    long end = Math.min(cpu.end(), cpu.offset(Math.max(ownedTo, first)));
                    if (end > start) {
                        parts.add(new CpuSlice(cpu.data.cpu(), new RawCapture.Region(cpu.data.pages().file(), start,
                                end - start), cpu.offset(ownedFrom[c])));
                    }
                    ownedFrom[c] = Math.max(ownedFrom[c], ownedTo);
                }
                slices.add(new Slice(from, to, parts));
            }
            return slices;
        } finally {
            for (FileChannel c : open.values()) {
                c.close();
            }
        }
    }

    /** Cut times, strictly growing, at quantiles of the sampled page start times. */
    private static long[] cuts(List<PageTimes> cpus, int wanted) throws IOException {
        long total = cpus.stream().mapToLong(c -> c.pages).sum();
        if (total < 2) {
            return new long[0];
        }
        long stride = Math.max(1, total / ((long) wanted * SAMPLES_PER_SLICE));
        List<Long> sampled = new ArrayList<>();
        for (PageTimes cpu : cpus) {
            for (long i = 0; i < cpu.pages; i += stride) {
                sampled.add(cpu.time(i));
            }
        }
        long[] times = sampled.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] cuts = new long[wanted - 1];
        int n = 0;
        for (int j = 1; j < wanted; j++) {
            long cut = times[(int) ((long) j * times.length / wanted)];
            if (cut != Long.MIN_VALUE && cut != Long.MAX_VALUE && (n == 0 || cut > cuts[n - 1])) {
                cuts[n++] = cut;
            }
        }
        return Arrays.copyOf(cuts, n);
    }

    /** One CPU's pages and their start times, read on demand from the page headers. */
    private static final class PageTimes {
        final RawCapture.CpuData data;
        final long pages;
        private final HeaderPage header;
        private final FileChannel channel;
        private final ByteBuffer stamp;

        PageTimes(RawCapture.CpuData data, HeaderPage header, RawCapture capture, FileChannel channel) {
            this.data = data;
            this.header = header;
            this.channel = channel;
            this.pages = (data.pages().length() + header.pageSize() - 1) / header.pageSize();
            this.stamp = ByteBuffer.allocate(8).order(capture.order());
        }

        long offset(long page) {
            return data.pages().offset() + page * header.pageSize();
        }

        long end() {
            return data.pages().offset() + data.pages().length();
        }

        /** The page's start time; {@code Long.MAX_VALUE} for a page too short to hold one. */
        long time(long page) throws IOException {
            long at = offset(page) + header.timestampOffset();
            if (at + 8 > end()) {
                return Long.MAX_VALUE;
            }
            stamp.clear();
            while (stamp.hasRemaining()) {
                if (channel.read(stamp, at + stamp.position()) < 0) {
                    return Long.MAX_VALUE;
                }
            }
            return stamp.getLong(0);
        }

        /** The first page starting at or after {@code t}, by bisection (times assumed to grow; checked later). */
        long firstAtOrAfter(long t) throws IOException {
            long lo = 0;
            long hi = pages;
            while (lo < hi) {
                long mid = (lo + hi) >>> 1;
                if (time(mid) < t) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
