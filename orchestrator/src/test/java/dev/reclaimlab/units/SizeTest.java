package dev.reclaimlab.units;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SizeTest {

    @ParameterizedTest
    @CsvSource({
        "100M, 104857600",
        "1G, 1073741824",
        "64Mi, 67108864",
        "512K, 524288",
        "1KB, 1000",
        "1.5G, 1610612736",
        "4096, 4096",
        "0, 0",
        "2T, 2199023255552",
        "1Ti, 1099511627776",
        "3Gi, 3221225472",
        "8k, 8192",
        "20m, 20971520",
        "1g, 1073741824",
        "10MB, 10000000",
        "2GB, 2000000000",
        "1TB, 1000000000000",
        "0.5K, 512",
        "1.25KB, 1250",
        "007M, 7340032",
        "8388607T, 9223370937343148032",
    })
    void parses(String text, long bytes) {
        assertEquals(bytes, Size.parse(text).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "10X", "1e3", "0x10", "-5", "-1M", "1.3K", "1.", ".5G", "1 M", "M", "1MiB",
        "1kb", "1t", "9223372036854775808", "8388608T", "99999999999999999999G", "1,5G", "+5", "1.5", "1KiB"})
    void rejects(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Size.parse(text));
        assertEquals("expected a size like 100M, 1G, 64Mi or 4096, got \"" + text + "\"", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"100M", "1G", "64Mi", "512K", "1KB", "1.5G", "4096", "0", "1023", "1025K", "3T", "5000T"})
    void roundTrips(String text) {
        Size size = Size.parse(text);
        assertEquals(size, Size.parse(size.toString()));
    }

    @ParameterizedTest
    @CsvSource({"104857600, 100M", "1073741824, 1G", "1000, 1000", "1610612736, 1536M", "0, 0", "1536, 1536",
        "4096, 4K"})
    void printsShortestExactSpelling(long bytes, String text) {
        assertEquals(text, new Size(bytes).toString());
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "30s, 30000", "2m, 120000", "1h, 3600000", "0s, 0"})
    void parsesDurations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
        assertEquals(Durations.parse(text), Durations.parse(Durations.format(Durations.parse(text))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "", "1.5s", "2 m", "1d", "-1s", "1h30m", "10S", "PT1S"})
    void rejectsDurations(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals("expected a duration like 30s, 2m or 500ms, got \"" + text + "\"", e.getMessage());
    }
}
