package dev.reclaimlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reclaimlab.local.Json;
import dev.reclaimlab.trace.RawCapture;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The binary and the text path give the same metrics for the same events (see {@link SyntheticCapture}): tasks that
 * migrate between CPUs inside a reclaim, pid 0 on every CPU, lost events with and without a count that break pairs,
 * time extends, absolute stamps and discarded events, in both byte orders. Only what differs by nature is left out of
 * the comparison: the binary's decoding figures, and when a loss was (the page's time stamp in binary, the event line
 * before it in text).
 */
class BinaryTextEquivalenceTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void sameEventsSameMetrics(long seed) throws Exception {
        ByteOrder order = seed % 2 == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path text = SyntheticCapture.write(dir, seed, 4000, order);
        TraceMetrics binary = new ReclaimAnalyzer().analyze(RawCapture.fromIteration(dir));
        TraceMetrics fromText = new ReclaimAnalyzer().analyze(text, dir.resolve("formats"));

        assertEquals(0, binary.skippedLines(), String.valueOf(binary.skippedSamples()));
        assertEquals(4000, binary.events());
        assertTrue(binary.capture().timeExtends() > 0 && binary.capture().timeStamps() > 0
                && binary.capture().discarded() > 0, "every kind of time item was decoded: " + binary.capture());
        assertTrue(binary.lost().records() > 0 && binary.lost().unknownRecords() > 0, "losses: " + binary.lost());
        assertTrue(binary.memcgReclaim().broken() + binary.directReclaim().broken() > 0, "losses broke pairs");
        assertTrue(binary.memcgReclaim().count() > 0 && binary.shrinkSlab().count() > 0);
        assertEquals(comparable(fromText), comparable(binary));
    }

    private static String comparable(TraceMetrics m) throws Exception {
        ObjectNode json = (ObjectNode) Json.mapper().readTree(Json.mapper().writeValueAsString(m));
        json.remove("capture");
        ObjectNode lost = (ObjectNode) json.get("lost");
        lost.remove("first_ts");
        lost.remove("last_ts");
        for (JsonNode cpu : lost.get("by_cpu")) {
            ((ObjectNode) cpu).remove("first_ts");
            ((ObjectNode) cpu).remove("last_ts");
        }
        return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
    }
}
