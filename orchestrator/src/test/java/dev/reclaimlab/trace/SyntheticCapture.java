package dev.reclaimlab.trace;

import dev.reclaimlab.artifacts.RunLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A binary capture made by hand, laid out as {@code lab run} collects one: a 64-bit little-endian kernel with 4 KiB
 * pages, one event {@code lab/lab_test} (an int {@code value}), CPU 0 with two events, CPU 1 without a file and CPU 2
 * with one event. What trace-cmd must print for it is known exactly.
 */
final class SyntheticCapture {
    static final int PAGE = 4096;
    static final int EVENT_ID = 1000;
    /** This machine's (Linux 6.18, x86_64) header_page, to the byte. */
    static final String HEADER_PAGE = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
            + "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
            + "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
            + "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";
    static final String HEADER_EVENT = "# compressed entry header\n\ttype_len    :    5 bits\n"
            + "\ttime_delta  :   27 bits\n\tarray       :   32 bits\n\n\tpadding     : type == 29\n"
            + "\ttime_extend : type == 30\n\ttime_stamp : type == 31\n\tdata max type_len  == 28\n";
    static final String FORMAT = "name: lab_test\nID: " + EVENT_ID + "\nformat:\n"
            + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
            + "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
            + "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
            + "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
            + "\tfield:int value;\toffset:8;\tsize:4;\tsigned:1;\n\n"
            + "print fmt: \"value=%d\", REC->value\n";
    static final String CMDLINES = "4242 worker one\n";

    private SyntheticCapture() {}

    /** Writes the capture into {@code iteration} (its {@code raw/} and {@code formats/}). */
    static Path write(Path iteration) throws IOException {
        Path raw = Files.createDirectories(iteration.resolve(RunLayout.RAW));
        Files.writeString(raw.resolve("header_page"), HEADER_PAGE);
        Files.writeString(raw.resolve("header_event"), HEADER_EVENT);
        Files.writeString(raw.resolve("byte_order"), "little\n");
        Files.writeString(raw.resolve("trace_clock"), "[local] global counter uptime perf mono\n");
        Files.writeString(raw.resolve("saved_cmdlines"), CMDLINES);
        Files.writeString(raw.resolve("kallsyms"), "ffffffff81000000 T _stext\n");
        Files.createDirectories(iteration.resolve(RunLayout.FORMATS).resolve("lab"));
        Files.writeString(iteration.resolve(RunLayout.FORMATS).resolve("lab/lab_test.format"), FORMAT);
        // CPU 0: value -5 at 1 s, value 7 500 ns later; CPU 2: value 9 at 2 s from a pid with no saved comm
        Files.write(raw.resolve("cpu0"), page(1_000_000_000L, new int[][] {{0, 4242, -5}, {500, 4242, 7}}));
        Files.write(raw.resolve("cpu2"), page(2_000_000_000L, new int[][] {{0, 100, 9}}));
        return iteration;
    }

    /** One ring-buffer page: timestamp, commit (bytes of events), then 16-byte events {delta, pid, value}. */
    static byte[] page(long timestamp, int[][] events) {
        ByteBuffer page = ByteBuffer.allocate(PAGE).order(ByteOrder.LITTLE_ENDIAN);
        page.putLong(timestamp).putLong(events.length * 16L);
        for (int[] event : events) {
            // type_len 3: a 12-byte payload right after the header word; time_delta in the upper 27 bits
            page.putInt(event[0] << 5 | 3);
            page.putShort((short) EVENT_ID).put((byte) 0).put((byte) 0).putInt(event[1]).putInt(event[2]);
        }
        return page.array();
    }
}
