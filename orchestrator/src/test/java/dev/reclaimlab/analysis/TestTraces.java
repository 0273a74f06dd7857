package dev.reclaimlab.analysis;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reclaimlab.local.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real traces kept in src/test/resources/traces (see its README) and helpers to analyse them. */
final class TestTraces {
    static final Path DIR = Path.of("src/test/resources/traces");
    /** 4.18.0-372: one memcg reclaim of about a second (seed 000 §4.1). */
    static final Path SEED_372 = DIR.resolve("seed-4.18-372-reclaim.txt");
    /** 4.18.0-147: the same reclaim in under 0.1 s (seed 000 §4.1). */
    static final Path SEED_147 = DIR.resolve("seed-4.18-147-reclaim.txt");
    /** 6.6: the ANON shrink_inactive line of seed 000 §7.2. */
    static final Path SEED_66 = DIR.resolve("seed-6.6-swappiness-100.txt");
    /** Lines of several kernels mixed, with a [LOST] line, garbage and a cut last line. */
    static final Path SEED_MIXED = DIR.resolve("seed-4.18-372-excerpt.txt");
    /** This machine (6.18): the first 1200 lines of a playbooks/memcg-storm.yaml trace, its header and formats. */
    static final Path LOCAL_STORM = DIR.resolve("local-6.18-memcg-storm/trace.txt");
    /** This machine (6.18): the first 500 lines of playbooks/swappiness.yaml at swappiness 100. */
    static final Path LOCAL_SWAPPINESS = DIR.resolve("local-6.18-swappiness-100/trace.txt");

    private TestTraces() {}

    static List<Path> all() throws IOException {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(f -> f.toString().endsWith(".txt")).sorted().toList();
        }
    }

    static TraceMetrics analyze(Path trace) throws IOException {
        return new ReclaimAnalyzer().analyze(trace);
    }

    static String json(TraceMetrics metrics) throws JsonProcessingException {
        return Json.mapper().writeValueAsString(metrics);
    }
}
