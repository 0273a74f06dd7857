package dev.reclaimlab.trace;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Every CPU's records of a capture as one stream in time order: each step takes the CPU whose next item is earliest,
 * the lowest CPU on a tie, which is how {@code trace_pipe} and {@code trace-cmd report} merge them (so the text and the
 * binary of the same events come in the same order). Holds one page per CPU.
 *
 * <p>Why a merge rather than one independent pass per CPU: a task can migrate between the begin and the end of a
 * reclaim, so a span's two events may lie on different CPUs; only the time order pairs them as the text path does.
 */
public final class MergedRecords implements Closeable {
    private final List<FileChannel> channels = new ArrayList<>();
    private final List<CpuRecords> cpus = new ArrayList<>();
    private final PriorityQueue<CpuRecords> heads = new PriorityQueue<>(
            Comparator.comparingLong(CpuRecords::timestamp).thenComparingInt(CpuRecords::cpu));
    private CpuRecords current;
    private CpuRecords.Item item;
    private boolean started;

    public MergedRecords(RawCapture capture, HeaderPage header) throws IOException {
        this(capture, header, CaptureSlices.whole(capture));
    }

    /** The items of one time slice of {@code capture} (see {@link CaptureSlices}). */
    public MergedRecords(RawCapture capture, HeaderPage header, CaptureSlices.Slice slice) throws IOException {
        Map<Path, FileChannel> open = new HashMap<>();
        try {
            for (CaptureSlices.CpuSlice part : slice.cpus()) {
                FileChannel channel = open.get(part.pages().file());
                if (channel == null) {
                    channel = FileChannel.open(part.pages().file(), StandardOpenOption.READ);
                    open.put(part.pages().file(), channel);
                    channels.add(channel);
                }
                cpus.add(new CpuRecords(part.cpu(), header, capture.order(), channel, part.pages().offset(),
                        part.pages().length(), part.ownedFrom(), slice.from(), slice.to()));
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Whether time ran backwards on some CPU so far (see {@link CpuRecords#outOfOrder()}). */
    public boolean outOfOrder() {
        return cpus.stream().anyMatch(CpuRecords::outOfOrder);
    }

    /** Steps to the earliest item of any CPU; {@link CpuRecords.Item#END} when every CPU is used up. */
    public CpuRecords.Item next() throws IOException {
        if (!started) {
            started = true;
            for (CpuRecords c : cpus) {
                if (c.next() != CpuRecords.Item.END) {
                    heads.add(c);
                }
            }
        } else if (current != null && current.next() != CpuRecords.Item.END) {
            CpuRecords other = heads.peek();
            if (other == null || before(current, other)) {
                // Records come in runs from one CPU: the common case costs one comparison, not a heap push and pop.
                item = current.item();
                return item;
            }
            heads.add(current);
        }
        current = heads.poll();
        item = current == null ? CpuRecords.Item.END : current.item();
        return item;
    }

    /** The heap's order: earlier time first, the lower CPU on a tie. */
    private static boolean before(CpuRecords a, CpuRecords b) {
        return a.timestamp() < b.timestamp() || a.timestamp() == b.timestamp() && a.cpu() < b.cpu();
    }

    /** The CPU whose item this is: its record bytes, time stamp, lost count. */
    public CpuRecords current() {
        return current;
    }

    /** Each CPU's decoding damage, by CPU order. */
    public List<CpuRecords> cpus() {
        return List.copyOf(cpus);
    }

    @Override
    public void close() throws IOException {
        IOException failed = null;
        for (FileChannel c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
