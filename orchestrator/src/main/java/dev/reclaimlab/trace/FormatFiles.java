package dev.reclaimlab.trace;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the {@code <system>/<event>.format} files {@code lab run} saves beside a trace, never more than a format file
 * can be: a file larger than {@link #MAX_BYTES} is not read (a 170 MB one ran the analysis out of memory), nor files
 * past the first {@link #MAX_FILES}. What was left out is counted and named, so a reader knows why the built-in layout
 * was used for an event.
 */
public final class FormatFiles {
    /**
     * A format file is a few KB: the field list and one {@code print fmt:} line, the longest (with symbol tables such as
     * SCSI opcodes) well under 64 KB. 1 MiB leaves room for any kernel and still bounds what one file can cost.
     */
    public static final int MAX_BYTES = 1 << 20;
    /** A kernel has about 2,500 events and lab run saves the few it traces; 4,096 files is more than all of them. */
    public static final int MAX_FILES = 4096;
    /** Files left out that are named (all are counted). */
    public static final int SAMPLES = 5;

    /** A file that was left out, relative to the directory, and why. */
    public record Skipped(String file, String reason) {}

    /**
     * @param formats by event name
     * @param skipped format files left out
     * @param samples the first {@link #SAMPLES} of them, named
     */
    public record Loaded(Map<String, EventFormat> formats, long skipped, List<Skipped> samples) {
        public Loaded {
            formats = Collections.unmodifiableMap(new TreeMap<>(formats));
            samples = List.copyOf(samples);
        }
    }

    private FormatFiles() {}

    /** The format files under {@code dir} (absent: none). */
    public static Loaded load(Path dir) throws IOException {
        Map<String, EventFormat> formats = new TreeMap<>();
        List<Skipped> samples = new ArrayList<>();
        long skipped = 0;
        if (dir == null || !Files.isDirectory(dir)) {
            return new Loaded(formats, 0, samples);
        }
        int read = 0;
        try (Stream<Path> files = Files.walk(dir, 2)) {
            Iterator<Path> it = files.iterator();
            while (it.hasNext()) {
                Path file = it.next();
                if (!file.toString().endsWith(".format") || !Files.isRegularFile(file)) {
                    continue;
                }
                String reason = read++ >= MAX_FILES ? "past the first " + MAX_FILES + " format files" : add(file, formats);
                if (reason != null) {
                    skipped++;
                    if (samples.size() < SAMPLES) {
                        samples.add(new Skipped(dir.relativize(file).toString(), reason));
                    }
                }
            }
        } catch (UncheckedIOException e) {
            // a subdirectory that cannot be listed: keep what was read
            skipped++;
            if (samples.size() < SAMPLES) {
                samples.add(new Skipped(".", "cannot list the directory: " + e.getCause().getMessage()));
            }
        }
        return new Loaded(formats, skipped, samples);
    }

    /** Reads one file into {@code formats}; why it was left out, or null. */
    private static String add(Path file, Map<String, EventFormat> formats) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1); // never more, however large the file is or grows
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
        if (bytes.length > MAX_BYTES) {
            return "larger than " + (MAX_BYTES >> 20) + " MiB, not a format file";
        }
        EventFormat format = EventFormat.parse(new String(bytes, StandardCharsets.ISO_8859_1));
        if (format == null) {
            return "no name: line";
        }
        formats.put(format.name(), format);
        return null;
    }
}
