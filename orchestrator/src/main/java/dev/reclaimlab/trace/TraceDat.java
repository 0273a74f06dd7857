package dev.reclaimlab.trace;

import dev.reclaimlab.artifacts.RunLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/** trace-cmd's trace.dat (file version 6), both ways: what the run engine and {@code lab analyze} call. */
public final class TraceDat {

    private TraceDat() {}

    /** Writes {@code capture} as a trace.dat at {@code out}, atomically (see {@link TraceDatWriter}). */
    public static TraceDatWriter.Written write(RawCapture capture, Path out) throws IOException {
        return new TraceDatWriter(capture, Map.of()).write(out);
    }

    /**
     * An iteration's binary capture ({@link RawCapture#fromIteration}) as a trace.dat at {@code out}, with each CPU's
     * end-of-capture {@code raw/stats/cpuN}, which {@code trace-cmd report --stat} shows.
     */
    public static TraceDatWriter.Written writeIteration(Path iterationDir, Path out) throws IOException {
        return new TraceDatWriter(RawCapture.fromIteration(iterationDir),
                cpuStats(iterationDir.resolve(RunLayout.RAW).resolve("stats"))).write(out);
    }

    /** The capture in a version-6 trace.dat, its regions pointing into the file (see {@link TraceDatFile}). */
    public static RawCapture read(Path traceDat) throws IOException {
        return TraceDatFile.read(traceDat);
    }

    /** {@code cpuN} files under {@code dir} by CPU; none if there is no such folder. */
    static Map<Integer, String> cpuStats(Path dir) throws IOException {
        Map<Integer, String> stats = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return stats;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Matcher m = RawCapture.CPU_FILE.matcher(file.getFileName().toString());
                if (m.matches() && Files.size(file) <= RawCapture.MAX_METADATA_BYTES) {
                    stats.put(Integer.parseInt(m.group(1)), Files.readString(file, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return stats;
    }
}
