package dev.reclaimlab.analysis;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first analysis: counts events per name, memcg reclaim begin/end, and ANON vs FILE
 * {@code mm_vmscan_lru_shrink_inactive} events (seed §7.2), streaming line by line.
 */
public final class EventCountAnalyzer implements TraceAnalyzer {
    /**
     * {@code TASK-PID [CPU] FLAGS TIMESTAMP: EVENT: FIELDS}. The task name may hold spaces and dashes, so the pid is
     * the last {@code -digits} before the CPU column; the irq-flags column is optional (older kernels, some options).
     */
    private static final Pattern EVENT = Pattern.compile(
            "^\\s*(.*)-(\\d+)\\s+(?:\\(\\s*[-\\d]*\\)\\s+)?\\[(\\d+)]\\s+(?:\\S{1,8}\\s+)?(\\d+\\.\\d+):\\s+([A-Za-z0-9_]+):\\s?(.*)$");
    private static final Pattern LOST = Pattern.compile("^CPU:\\d+ \\[LOST (\\d+) EVENTS]");

    @Override
    public TraceMetrics analyze(Path trace) throws IOException {
        long lines = 0, events = 0, skipped = 0, lost = 0, begin = 0, end = 0, anon = 0, file = 0;
        double first = -1, last = -1;
        Map<String, Long> counts = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(trace, StandardCharsets.ISO_8859_1)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                Matcher lostMatch = LOST.matcher(line);
                if (lostMatch.find()) {
                    lost += Long.parseLong(lostMatch.group(1));
                    continue;
                }
                Matcher m = EVENT.matcher(line);
                if (!m.matches()) {
                    skipped++;
                    continue;
                }
                events++;
                double ts = Double.parseDouble(m.group(4));
                if (first < 0) {
                    first = ts;
                }
                last = ts;
                String name = m.group(5);
                counts.merge(name, 1L, Long::sum);
                switch (name) {
                    case "mm_vmscan_memcg_reclaim_begin" -> begin++;
                    case "mm_vmscan_memcg_reclaim_end" -> end++;
                    case "mm_vmscan_lru_shrink_inactive" -> {
                        String fields = m.group(6);
                        if (fields.contains("RECLAIM_WB_ANON")) {
                            anon++;
                        } else if (fields.contains("RECLAIM_WB_FILE")) {
                            file++;
                        }
                    }
                    default -> { }
                }
            }
        }
        return new TraceMetrics(lines, events, skipped, counts, begin, end, anon, file, lost, first, last);
    }
}
